using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Intake.Sip.Messages;

internal enum UriScanResult
{
    Ok,
    UnsupportedScheme,
    Invalid,
}

internal enum UriKind
{
    Sip,
    Sips,
    Tel,
    Other,
}

/// <summary>Component ranges of a URI found by <see cref="UriScanner"/>; lets validation run without allocating.</summary>
internal struct UriParts
{
    public UriKind Kind;
    public int SchemeLength;
    public int UserStart;
    public int UserLength;
    public int PasswordStart;
    public int PasswordLength;
    public int HostStart;
    public int HostLength;
    public int Port;
    public int ParamsStart;
    public int ParamsEnd;
    public int HeadersStart;
}

/// <summary>Scanner for sip/sips (RFC 3261 §19.1, §25), tel (RFC 3966, minimal) and generic absolute URIs.</summary>
internal static class UriScanner
{
    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";

    // Whole allowed sets (unreserved plus the component's extras) so runs are skipped with vectorised searches.
    private static readonly SearchValues<char> UserUnreserved = SearchValues.Create(Unreserved + "&=+$,;?/");
    private static readonly SearchValues<char> PasswordUnreserved = SearchValues.Create(Unreserved + "&=+$,");
    private static readonly SearchValues<char> ParamUnreserved = SearchValues.Create(Unreserved + "[]/:&+$");
    private static readonly SearchValues<char> HeaderUnreserved = SearchValues.Create(Unreserved + "[]/?:+$");

    /// <summary>Checks the scheme only; used to answer 416 before the rest of the Request-URI is examined.</summary>
    public static UriScanResult ScanScheme(ReadOnlySpan<char> s, out UriKind kind, out int schemeLength)
    {
        kind = UriKind.Other;
        schemeLength = 0;
        if (s.IsEmpty || !SipSyntax.IsAlpha(s[0])) return UriScanResult.Invalid;
        var i = 1;
        while (i < s.Length && (SipSyntax.IsAlpha(s[i]) || SipSyntax.IsDigit(s[i]) || s[i] is '+' or '-' or '.')) i++;
        if (i >= s.Length || s[i] != ':') return UriScanResult.Invalid;
        schemeLength = i;
        var scheme = s[..i];
        if (scheme.Equals("sip", StringComparison.OrdinalIgnoreCase)) kind = UriKind.Sip;
        else if (scheme.Equals("sips", StringComparison.OrdinalIgnoreCase)) kind = UriKind.Sips;
        else if (scheme.Equals("tel", StringComparison.OrdinalIgnoreCase)) kind = UriKind.Tel;
        else return UriScanResult.UnsupportedScheme;
        return UriScanResult.Ok;
    }

    /// <summary>Full scan. Generic schemes are accepted only when <paramref name="allowOtherSchemes"/> is set (header fields).</summary>
    public static UriScanResult Scan(ReadOnlySpan<char> s, bool allowOtherSchemes, out UriParts parts)
    {
        parts = default;
        parts.UserStart = parts.PasswordStart = parts.ParamsStart = parts.HeadersStart = -1;
        parts.Port = -1;
        var schemeResult = ScanScheme(s, out parts.Kind, out parts.SchemeLength);
        if (schemeResult == UriScanResult.Invalid) return UriScanResult.Invalid;
        if (schemeResult == UriScanResult.UnsupportedScheme)
        {
            if (!allowOtherSchemes) return UriScanResult.UnsupportedScheme;
            return ScanOpaque(s, parts.SchemeLength + 1) ? UriScanResult.Ok : UriScanResult.Invalid;
        }

        var i = parts.SchemeLength + 1;
        if (parts.Kind == UriKind.Tel)
        {
            var numberStart = i;
            while (i < s.Length && IsTelChar(s[i])) i++;
            if (i == numberStart) return UriScanResult.Invalid;
            parts.UserStart = numberStart;
            parts.UserLength = i - numberStart;
            parts.HostStart = i;
            return ScanParamsAndHeaders(s, i, ref parts, allowHeaders: false) ? UriScanResult.Ok : UriScanResult.Invalid;
        }

        var at = s[i..].IndexOf('@');
        if (at >= 0)
        {
            var userinfo = s.Slice(i, at);
            var colon = userinfo.IndexOf(':');
            var user = colon < 0 ? userinfo : userinfo[..colon];
            if (user.IsEmpty || !AllValid(user, UserUnreserved)) return UriScanResult.Invalid;
            parts.UserStart = i;
            parts.UserLength = user.Length;
            if (colon >= 0)
            {
                var password = userinfo[(colon + 1)..];
                if (!AllValid(password, PasswordUnreserved)) return UriScanResult.Invalid;
                parts.PasswordStart = i + colon + 1;
                parts.PasswordLength = password.Length;
            }

            i += at + 1;
        }

        var hostEnd = ScanHost(s, i);
        if (hostEnd < 0) return UriScanResult.Invalid;
        parts.HostStart = i;
        parts.HostLength = hostEnd - i;
        i = hostEnd;
        if (i < s.Length && s[i] == ':')
        {
            i = ScanPort(s, i + 1, out parts.Port);
            if (i < 0) return UriScanResult.Invalid;
        }

        return ScanParamsAndHeaders(s, i, ref parts, allowHeaders: true) ? UriScanResult.Ok : UriScanResult.Invalid;
    }

    /// <summary>Scans host (hostname, IPv4address or IPv6reference); returns the end index or -1.</summary>
    public static int ScanHost(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length) return -1;
        if (s[i] == '[')
        {
            var close = s[i..].IndexOf(']');
            if (close < 0) return -1;
            var inner = s.Slice(i + 1, close - 1);
            return IsIPv6(inner) ? i + close + 1 : -1;
        }

        var start = i;
        while (i < s.Length && (SipSyntax.IsAlpha(s[i]) || SipSyntax.IsDigit(s[i]) || s[i] is '-' or '.' or '_')) i++;
        if (i == start) return -1;

        // An unbracketed IPv6 address (RFC 5118 §4.2) leaves a ':' followed by non-port text; callers reject that.
        return i;
    }

    public static bool IsIPv6(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || s.Length > 45) return false;
        foreach (var c in s)
        {
            if (!(SipSyntax.IsHex(c) || c == ':' || c == '.')) return false;
        }

        return IPAddress.TryParse(s, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>Scans port digits after the colon; returns the end index or -1.</summary>
    public static int ScanPort(ReadOnlySpan<char> s, int i, out int port)
    {
        port = 0;
        var start = i;
        while (i < s.Length && SipSyntax.IsDigit(s[i]))
        {
            port = (port * 10) + (s[i] - '0');
            if (port > 65535) return -1;
            i++;
        }

        return i == start ? -1 : i;
    }

    private static bool ScanParamsAndHeaders(ReadOnlySpan<char> s, int i, ref UriParts parts, bool allowHeaders)
    {
        if (i < s.Length && s[i] == ';')
        {
            parts.ParamsStart = i;
            while (i < s.Length && s[i] == ';')
            {
                i++;
                var nameStart = i;
                i = ScanChars(s, i, ParamUnreserved);
                if (i < 0 || i == nameStart) return false;
                if (i < s.Length && s[i] == '=')
                {
                    var valueStart = ++i;
                    i = ScanChars(s, i, ParamUnreserved);
                    if (i < 0 || i == valueStart) return false;
                }
            }

            parts.ParamsEnd = i;
        }

        if (allowHeaders && i < s.Length && s[i] == '?')
        {
            parts.HeadersStart = i + 1;
            i++;
            while (true)
            {
                var nameStart = i;
                i = ScanChars(s, i, HeaderUnreserved);
                if (i < 0 || i == nameStart || i >= s.Length || s[i] != '=') return false;
                i = ScanChars(s, i + 1, HeaderUnreserved);
                if (i < 0) return false;
                if (i < s.Length && s[i] == '&')
                {
                    i++;
                    continue;
                }

                break;
            }
        }

        return i == s.Length;
    }

    private static int ScanChars(ReadOnlySpan<char> s, int i, SearchValues<char> allowed)
    {
        while (i < s.Length)
        {
            var run = s[i..].IndexOfAnyExcept(allowed);
            if (run < 0) return s.Length;
            i += run;
            if (s[i] != '%') return i;
            if (i + 2 >= s.Length || !SipSyntax.IsHex(s[i + 1]) || !SipSyntax.IsHex(s[i + 2])) return -1;
            i += 3;
        }

        return i;
    }

    private static bool AllValid(ReadOnlySpan<char> s, SearchValues<char> allowed) => ScanChars(s, 0, allowed) == s.Length;

    private static bool IsTelChar(char c) =>
        SipSyntax.IsHex(c) || c is '+' or '-' or '.' or '(' or ')' or '*' or '#';

    // absoluteURI opaque part: anything printable except the delimiters that end a URI in a header.
    private static bool ScanOpaque(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length) return false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c <= ' ' || c >= 127 || c is '<' or '>' or '"') return false;
        }

        return true;
    }
}
