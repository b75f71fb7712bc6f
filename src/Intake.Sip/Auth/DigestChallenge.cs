using System.Text;

namespace Intake.Sip.Auth;

/// <summary>One WWW-Authenticate / Proxy-Authenticate Digest challenge (RFC 7616 §3.3).</summary>
public sealed record DigestChallenge
{
    public required string Realm { get; init; }
    public required string Nonce { get; init; }
    public string? Opaque { get; init; }
    public DigestAlgorithm Algorithm { get; init; } = DigestAlgorithm.Md5;

    /// <summary>The qop options offered, e.g. ["auth"]; empty for an RFC 2069 challenge.</summary>
    public IReadOnlyList<string> QopOptions { get; init; } = [];

    public bool Stale { get; init; }

    public bool OffersQopAuth => QopOptions.Any(q => q.Equals("auth", StringComparison.OrdinalIgnoreCase));

    public string ToHeaderValue()
    {
        var builder = new StringBuilder(192);
        builder.Append("Digest ");
        DigestQuoting.AppendQuoted(builder, "realm", Realm, first: true);
        DigestQuoting.AppendQuoted(builder, "nonce", Nonce);
        if (Opaque is not null)
        {
            DigestQuoting.AppendQuoted(builder, "opaque", Opaque);
        }

        DigestQuoting.AppendToken(builder, "algorithm", DigestHash.GetName(Algorithm));
        if (QopOptions.Count > 0)
        {
            DigestQuoting.AppendQuoted(builder, "qop", string.Join(',', QopOptions));
        }

        if (Stale)
        {
            DigestQuoting.AppendToken(builder, "stale", "true");
        }

        return builder.ToString();
    }

    /// <summary>Parses a challenge received from a peer (client side); unknown algorithms are a failure.</summary>
    public static bool TryParse(string? headerValue, out DigestChallenge? challenge, out string error)
    {
        challenge = null;
        var parsed = DigestParameterParser.TryParse(headerValue, out var scheme, out var p, out error);
        if (scheme.Length > 0 && !scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase))
        {
            error = "unsupported auth scheme";
            return false;
        }

        if (!parsed)
        {
            return false;
        }

        if (!p.TryGetValue("realm", out var realm) || !p.TryGetValue("nonce", out var nonce))
        {
            error = "challenge lacks realm or nonce";
            return false;
        }

        if (!DigestHash.TryParseName(p.GetValueOrDefault("algorithm"), out var algorithm))
        {
            error = $"unsupported algorithm '{p["algorithm"]}'";
            return false;
        }

        var qop = p.TryGetValue("qop", out var qopValue)
            ? qopValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        challenge = new DigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = p.GetValueOrDefault("opaque"),
            Algorithm = algorithm,
            QopOptions = qop,
            Stale = p.TryGetValue("stale", out var stale) && stale.Equals("true", StringComparison.OrdinalIgnoreCase),
        };
        return true;
    }
}
