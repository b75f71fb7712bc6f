namespace Intake.Sip.Auth;

/// <summary>
/// Decides whether the digest "uri" parameter designates the Request-URI (RFC 2617 §3.2.2.5). Proxies may
/// legitimately re-serialize the Request-URI (parameter order, host case, an explicit default port), so
/// the comparison is on scheme, user, host and port only; a response computed for another target fails.
/// </summary>
internal static class DigestUriMatcher
{
    public static bool Matches(string digestUri, string requestUri)
    {
        if (string.Equals(digestUri, requestUri, StringComparison.Ordinal))
        {
            return true;
        }

        if (!TrySplit(digestUri, out var a) || !TrySplit(requestUri, out var b))
        {
            return false;
        }

        return a.Scheme.Equals(b.Scheme, StringComparison.OrdinalIgnoreCase)
            && a.User.Equals(b.User, StringComparison.Ordinal)
            && a.Host.Equals(b.Host, StringComparison.OrdinalIgnoreCase)
            && EffectivePort(a) == EffectivePort(b);
    }

    private static int EffectivePort(Parts parts) =>
        parts.Port ?? (parts.Scheme.Equals("sips", StringComparison.OrdinalIgnoreCase) ? 5061 : 5060);

    private static bool TrySplit(string uri, out Parts parts)
    {
        parts = default;
        var colon = uri.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var scheme = uri[..colon];
        if (!scheme.Equals("sip", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = uri.AsSpan(colon + 1);
        var end = rest.IndexOfAny(';', '?');
        if (end >= 0)
        {
            rest = rest[..end];
        }

        var user = ReadOnlySpan<char>.Empty;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
        }

        ReadOnlySpan<char> host;
        int? port = null;
        ReadOnlySpan<char> portText;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = rest[..(close + 1)];
            portText = rest[(close + 1)..];
        }
        else
        {
            var portColon = rest.IndexOf(':');
            host = portColon >= 0 ? rest[..portColon] : rest;
            portText = portColon >= 0 ? rest[portColon..] : [];
        }

        if (portText.Length > 0)
        {
            if (portText[0] != ':' || !int.TryParse(portText[1..], System.Globalization.NumberStyles.None, null, out var p) || p > 65535)
            {
                return false;
            }

            port = p;
        }

        if (host.IsEmpty)
        {
            return false;
        }

        parts = new Parts(scheme, user.ToString(), host.ToString(), port);
        return true;
    }

    private readonly record struct Parts(string Scheme, string User, string Host, int? Port);
}
