using System.Globalization;
using System.Security.Cryptography;

namespace Intake.Sip.Auth;

/// <summary>
/// Client side of Digest for Intake's own outbound requests (e.g. a trunk or overflow target that challenges).
/// Remembers the last accepted challenge so later requests can be authorized up front with an increasing
/// nonce-count. Thread-safe.
/// </summary>
public sealed class DigestClient
{
    private readonly string _username;
    private readonly string _password;
    private readonly Lock _lock = new();
    private DigestChallenge? _challenge;
    private uint _nonceCount;

    public DigestClient(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        _username = username;
        _password = password;
    }

    /// <summary>
    /// Answers a 401/407: picks the strongest usable challenge (SHA-256 over MD5, RFC 7616 §3.7) among the
    /// WWW-Authenticate / Proxy-Authenticate values and returns the Authorization value to send.
    /// A second challenge for a nonce we already answered without stale=true means the password is wrong:
    /// false, so the caller does not loop.
    /// </summary>
    public bool TryRespond(IEnumerable<string> challengeHeaderValues, string method, string uri, out string? authorization, out string error)
    {
        authorization = null;
        DigestChallenge? best = null;
        error = "no Digest challenge with a supported algorithm";
        foreach (var value in challengeHeaderValues)
        {
            if (DigestChallenge.TryParse(value, out var challenge, out var parseError))
            {
                if (best is null || Rank(challenge!.Algorithm) > Rank(best.Algorithm))
                {
                    best = challenge;
                }
            }
            else
            {
                error = parseError;
            }
        }

        if (best is null)
        {
            return false;
        }

        lock (_lock)
        {
            if (_challenge is not null && !best.Stale && _challenge.Nonce == best.Nonce && _challenge.Realm == best.Realm)
            {
                error = "credentials rejected";
                return false;
            }

            _challenge = best;
            _nonceCount = 0;
            return TryAuthorizeLocked(method, uri, out authorization, out error);
        }
    }

    /// <summary>Authorizes a new request with the last challenge (pre-emptive authentication).</summary>
    public bool TryAuthorize(string method, string uri, out string? authorization, out string error)
    {
        lock (_lock)
        {
            return TryAuthorizeLocked(method, uri, out authorization, out error);
        }
    }

    /// <summary>Computes the credentials for one request; deterministic when cnonce is supplied (tests).</summary>
    public static bool TryCreateCredentials(
        DigestChallenge challenge, string method, string uri, string username, string password,
        uint nonceCount, string? cnonce, out DigestCredentials? credentials, out string error)
    {
        credentials = null;
        var ha1 = DigestHash.ComputeHa1(challenge.Algorithm, username, challenge.Realm, password);
        if (challenge.QopOptions.Count == 0)
        {
            if (DigestHash.IsSession(challenge.Algorithm))
            {
                error = "session algorithm without qop";
                return false;
            }

            credentials = new DigestCredentials
            {
                Username = username,
                Realm = challenge.Realm,
                Nonce = challenge.Nonce,
                Uri = uri,
                Response = DigestHash.ComputeLegacyResponse(challenge.Algorithm, ha1, challenge.Nonce, method, uri),
                AlgorithmName = DigestHash.GetName(challenge.Algorithm),
                Opaque = challenge.Opaque,
            };
            error = string.Empty;
            return true;
        }

        if (!challenge.OffersQopAuth)
        {
            error = "challenge offers no qop=auth";
            return false;
        }

        cnonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var nc = nonceCount.ToString("x8", CultureInfo.InvariantCulture);
        credentials = new DigestCredentials
        {
            Username = username,
            Realm = challenge.Realm,
            Nonce = challenge.Nonce,
            Uri = uri,
            Response = DigestHash.ComputeResponse(challenge.Algorithm, ha1, challenge.Nonce, nc, cnonce, "auth", method, uri),
            AlgorithmName = DigestHash.GetName(challenge.Algorithm),
            Cnonce = cnonce,
            Opaque = challenge.Opaque,
            Qop = "auth",
            NonceCount = nc,
        };
        error = string.Empty;
        return true;
    }

    private bool TryAuthorizeLocked(string method, string uri, out string? authorization, out string error)
    {
        authorization = null;
        if (_challenge is null)
        {
            error = "no challenge received yet";
            return false;
        }

        _nonceCount++;
        if (!TryCreateCredentials(_challenge, method, uri, _username, _password, _nonceCount, null, out var credentials, out error))
        {
            return false;
        }

        authorization = credentials!.ToHeaderValue();
        return true;
    }

    private static int Rank(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha256 => 4,
        DigestAlgorithm.Sha256Sess => 3,
        DigestAlgorithm.Md5 => 2,
        _ => 1,
    };
}
