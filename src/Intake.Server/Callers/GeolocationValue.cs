namespace Intake.Server.Callers;

/// <summary>One locationValue of a Geolocation header (RFC 6442 §4.1): a URI in angle brackets with generic parameters.</summary>
public sealed record GeolocationValue(string Uri, string Scheme, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    public const int MaxUriLength = 1024;

    /// <summary>The entity that inserted the location, when the header names it (inserted-by parameter).</summary>
    public string? InsertedBy => Parameters.FirstOrDefault(p => p.Key.Equals("inserted-by", StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>A cid: URI points into the message body: the location is conveyed by value (RFC 6442 §3.1).</summary>
    public bool IsByValue => Scheme == "cid";

    /// <summary>Parses "&lt;uri&gt;;param=value"; null with a reason when the value is not of that form.</summary>
    public static GeolocationValue? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var value = text.AsSpan().Trim();
        var close = value.IndexOf('>');
        if (value.IsEmpty || value[0] != '<' || close < 0)
        {
            error = "Geolocation value is not a URI in angle brackets";
            return null;
        }

        var uri = value[1..close].Trim();
        var colon = uri.IndexOf(':');
        if (uri.Length is 0 or > MaxUriLength || colon <= 0 || !IsScheme(uri[..colon]) || uri.ContainsAny(" \t\r\n\"<"))
        {
            error = "Geolocation URI is malformed";
            return null;
        }

        var parameters = new List<KeyValuePair<string, string?>>();
        foreach (var range in value[(close + 1)..].Split(';'))
        {
            var parameter = value[(close + 1)..][range].Trim();
            if (parameter.IsEmpty || parameters.Count == 8)
            {
                continue;
            }

            var eq = parameter.IndexOf('=');
            parameters.Add(eq < 0
                ? new(parameter.ToString(), null)
                : new(parameter[..eq].Trim().ToString(), parameter[(eq + 1)..].Trim().Trim('"').ToString()));
        }

        return new GeolocationValue(uri.ToString(), uri[..colon].ToString().ToLowerInvariant(), parameters);
    }

    /// <summary>The Content-ID a cid: URI names (RFC 2392: the URI is the percent-encoded addr-spec).</summary>
    public string? ContentId()
    {
        if (!IsByValue)
        {
            return null;
        }

        var encoded = Uri[(Uri.IndexOf(':') + 1)..];
        return System.Uri.UnescapeDataString(encoded).Trim('<', '>');
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
