using System.Security.Cryptography;
using System.Text;

namespace Intake.Sip.Auth;

/// <summary>
/// Server side of SIP Digest (RFC 3261 §22, RFC 7616, RFC 2617): issues challenges and verifies credentials.
/// Only qop=auth responses are accepted. The RFC 2069 form without qop has no client nonce and no
/// nonce-count, so it allows neither replay detection nor protection against chosen-plaintext attacks on
/// the response, and every phone made in the last twenty years supports qop=auth; we always offer qop,
/// and RFC 7616 §3.4 obliges a client to use it then, so its absence is a malformed request (400).
/// Thread-safe.
/// </summary>
public sealed class DigestAuthenticator
{
    private const string QopAuth = "auth";
    private const int MaxCnonceLength = 256;

    private readonly DigestAuthenticatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly DigestNonceService _nonces;
    private readonly NonceCountTracker _nonceCounts;
    private readonly string _opaque;

    // Used for unknown users so that their verification costs the same hashing as a real one.
    private readonly string _decoyPassword = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public DigestAuthenticator(DigestAuthenticatorOptions options, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Realm);
        if (options.Algorithms.Count == 0 || options.Algorithms.Any(DigestHash.IsSession))
        {
            throw new ArgumentException("Offer at least one of MD5 and SHA-256 (session variants are not offered).", nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider;
        var secret = options.NonceSecret ?? RandomNumberGenerator.GetBytes(32);
        _nonces = new DigestNonceService(secret, options.NonceLifetime, timeProvider);
        _nonceCounts = new NonceCountTracker(options.NonceCountCapacity, options.NonceLifetime);

        // A constant opaque derived from the secret: stateless like the nonce, and stable across challenges.
        _opaque = Convert.ToBase64String(HMACSHA256.HashData(secret, "intake-opaque"u8)[..12]);
    }

    public string Realm => _options.Realm;

    public TimeSpan NonceLifetime => _options.NonceLifetime;

    /// <summary>
    /// One challenge per offered algorithm, preferred first, sharing one fresh nonce. The challenge does
    /// not depend on who asks, so known and unknown users receive challenges of identical shape.
    /// </summary>
    public IReadOnlyList<DigestChallenge> CreateChallenges(bool stale = false)
    {
        var nonce = _nonces.CreateNonce();
        var challenges = new DigestChallenge[_options.Algorithms.Count];
        for (var i = 0; i < challenges.Length; i++)
        {
            challenges[i] = new DigestChallenge
            {
                Realm = _options.Realm,
                Nonce = nonce,
                Opaque = _opaque,
                Algorithm = _options.Algorithms[i],
                QopOptions = [QopAuth],
                Stale = stale,
            };
        }

        return challenges;
    }

    /// <summary>Parses and verifies one Authorization / Proxy-Authorization header value.</summary>
    public async ValueTask<DigestVerificationResult> VerifyAsync(
        string headerValue, string method, string requestUri, IOperatorCredentialStore store, CancellationToken cancellationToken)
    {
        if (!DigestCredentials.TryParse(headerValue, out var credentials, out var error))
        {
            return new DigestVerificationResult(DigestOutcome.Malformed, null, error);
        }

        var precheck = Precheck(credentials!, requestUri, out var algorithm, out var issuedAt, out var nonceStatus);
        if (precheck is { } early)
        {
            return early;
        }

        var credential = await store.FindAsync(credentials!.Username, cancellationToken).ConfigureAwait(false);
        return Verify(credentials, method, credential, algorithm, issuedAt, nonceStatus);
    }

    /// <summary>Synchronous variant for callers that already hold the operator's credential (null if unknown).</summary>
    public DigestVerificationResult Verify(DigestCredentials credentials, string method, string requestUri, OperatorCredential? credential)
    {
        var precheck = Precheck(credentials, requestUri, out var algorithm, out var issuedAt, out var nonceStatus);
        return precheck ?? Verify(credentials, method, credential, algorithm, issuedAt, nonceStatus);
    }

    private DigestVerificationResult Verify(
        DigestCredentials credentials, string method, OperatorCredential? credential,
        DigestAlgorithm algorithm, DateTimeOffset issuedAt, NonceStatus nonceStatus)
    {
        var username = credentials.Username;
        var ha1 = credential?.GetHa1(algorithm, username, _options.Realm)
            ?? DigestHash.ComputeHa1(algorithm, username, _options.Realm, _decoyPassword);
        var expected = DigestHash.ComputeResponse(
            algorithm, ha1, credentials.Nonce, credentials.NonceCount!, credentials.Cnonce!, QopAuth, method, credentials.Uri);
        var matches = FixedTimeEqualsHex(expected, credentials.Response);
        if (!matches || credential is null)
        {
            var detail = credential is null ? "unknown user" : "wrong response";
            return new DigestVerificationResult(DigestOutcome.Forbidden, username, detail, algorithm);
        }

        if (nonceStatus == NonceStatus.Expired)
        {
            return new DigestVerificationResult(DigestOutcome.Stale, username, "nonce expired", algorithm);
        }

        var nonceCount = uint.Parse(credentials.NonceCount!, System.Globalization.NumberStyles.AllowHexSpecifier, null);
        if (!_nonceCounts.TryAdvance(credentials.Nonce, issuedAt, nonceCount, _timeProvider.GetUtcNow()))
        {
            return new DigestVerificationResult(DigestOutcome.Replayed, username, "nonce-count not increasing", algorithm);
        }

        return new DigestVerificationResult(DigestOutcome.Authenticated, username, null, algorithm);
    }

    /// <summary>Every check that needs no secret; null when the credentials deserve a hash comparison.</summary>
    private DigestVerificationResult? Precheck(
        DigestCredentials c, string requestUri, out DigestAlgorithm algorithm, out DateTimeOffset issuedAt, out NonceStatus nonceStatus)
    {
        algorithm = DigestAlgorithm.Md5;
        issuedAt = default;
        nonceStatus = NonceStatus.Invalid;
        var user = c.Username;
        if (user.Length == 0 || user.Length > _options.MaxUsernameLength || user.Any(char.IsControl))
        {
            return Malformed(null, "invalid username");
        }

        if (!string.Equals(c.Realm, _options.Realm, StringComparison.Ordinal))
        {
            // Credentials for another protection space are not ours to judge (RFC 3261 §22.3).
            return new DigestVerificationResult(DigestOutcome.Challenge, user, "foreign realm");
        }

        if (!DigestHash.TryParseName(c.AlgorithmName, out algorithm) || !_options.Algorithms.Contains(algorithm))
        {
            return Malformed(user, "unsupported algorithm");
        }

        if (c.UserHash is not null && c.UserHash.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return Malformed(user, "userhash not supported");
        }

        if (c.Qop is null)
        {
            return Malformed(user, "qop=auth required");
        }

        if (!c.Qop.Equals(QopAuth, StringComparison.OrdinalIgnoreCase))
        {
            return Malformed(user, "unsupported qop");
        }

        if (string.IsNullOrEmpty(c.Cnonce) || c.Cnonce.Length > MaxCnonceLength)
        {
            return Malformed(user, "missing or invalid cnonce");
        }

        if (c.NonceCount is null || c.NonceCount.Length != 8 || !IsHex(c.NonceCount))
        {
            return Malformed(user, "missing or invalid nc");
        }

        if (c.Response.Length != DigestHash.HexLength(algorithm) || !IsHex(c.Response))
        {
            return Malformed(user, "invalid response format");
        }

        if (!DigestUriMatcher.Matches(c.Uri, requestUri))
        {
            return Malformed(user, "uri does not match Request-URI");
        }

        if (c.Opaque is not null && !string.Equals(c.Opaque, _opaque, StringComparison.Ordinal))
        {
            return new DigestVerificationResult(DigestOutcome.Challenge, user, "opaque mismatch");
        }

        nonceStatus = _nonces.Validate(c.Nonce, out issuedAt);
        if (nonceStatus == NonceStatus.Invalid)
        {
            // Typically a nonce from before a restart with a random secret: a new challenge recovers.
            return new DigestVerificationResult(DigestOutcome.Challenge, user, "nonce not issued here");
        }

        return null;
    }

    private static DigestVerificationResult Malformed(string? user, string reason) =>
        new(DigestOutcome.Malformed, user, reason);

    private static bool IsHex(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Case-insensitive hex comparison whose time does not depend on where the first difference is.</summary>
    private static bool FixedTimeEqualsHex(string expectedLowerHex, string actualHex)
    {
        if (expectedLowerHex.Length != actualHex.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[expectedLowerHex.Length];
        Span<byte> actual = stackalloc byte[actualHex.Length];
        Encoding.ASCII.GetBytes(expectedLowerHex, expected);
        Encoding.ASCII.GetBytes(actualHex, actual);
        for (var i = 0; i < actual.Length; i++)
        {
            // ASCII letters fold to lower case by setting bit 0x20; digits already have it set.
            actual[i] |= 0x20;
        }

        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
