namespace Intake.Sip.Auth;

/// <summary>
/// The parameters of an Authorization / Proxy-Authorization header value (RFC 3261 §22.4, RFC 7616 §3.4).
/// Only syntax is checked here; semantic checks (which params are required, values) belong to the verifier.
/// </summary>
public sealed record DigestCredentials
{
    public required string Username { get; init; }
    public required string Realm { get; init; }
    public required string Nonce { get; init; }
    public required string Uri { get; init; }
    public required string Response { get; init; }
    public string? AlgorithmName { get; init; }
    public string? Cnonce { get; init; }
    public string? Opaque { get; init; }
    public string? Qop { get; init; }
    public string? NonceCount { get; init; }
    public string? UserHash { get; init; }

    /// <summary>Parses a header value; false with a reason (suitable for a 400 reason phrase) on any fault.</summary>
    public static bool TryParse(string? headerValue, out DigestCredentials? credentials, out string error)
    {
        credentials = null;
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

        foreach (var name in (ReadOnlySpan<string>)["username", "realm", "nonce", "uri", "response"])
        {
            if (!p.ContainsKey(name))
            {
                error = $"missing '{name}'";
                return false;
            }
        }

        credentials = new DigestCredentials
        {
            Username = p["username"],
            Realm = p["realm"],
            Nonce = p["nonce"],
            Uri = p["uri"],
            Response = p["response"],
            AlgorithmName = p.GetValueOrDefault("algorithm"),
            Cnonce = p.GetValueOrDefault("cnonce"),
            Opaque = p.GetValueOrDefault("opaque"),
            Qop = p.GetValueOrDefault("qop"),
            NonceCount = p.GetValueOrDefault("nc"),
            UserHash = p.GetValueOrDefault("userhash"),
        };
        return true;
    }

    /// <summary>Serializes in the conventional parameter order; nc and qop are tokens, the rest quoted.</summary>
    public string ToHeaderValue()
    {
        var builder = new System.Text.StringBuilder(256);
        builder.Append("Digest ");
        DigestQuoting.AppendQuoted(builder, "username", Username, first: true);
        DigestQuoting.AppendQuoted(builder, "realm", Realm);
        DigestQuoting.AppendQuoted(builder, "nonce", Nonce);
        DigestQuoting.AppendQuoted(builder, "uri", Uri);
        DigestQuoting.AppendQuoted(builder, "response", Response);
        if (AlgorithmName is not null)
        {
            DigestQuoting.AppendToken(builder, "algorithm", AlgorithmName);
        }

        if (Cnonce is not null)
        {
            DigestQuoting.AppendQuoted(builder, "cnonce", Cnonce);
        }

        if (Opaque is not null)
        {
            DigestQuoting.AppendQuoted(builder, "opaque", Opaque);
        }

        if (Qop is not null)
        {
            DigestQuoting.AppendToken(builder, "qop", Qop);
        }

        if (NonceCount is not null)
        {
            DigestQuoting.AppendToken(builder, "nc", NonceCount);
        }

        return builder.ToString();
    }
}
