using System.Globalization;
using System.Net;
using System.Text;

namespace Intake.Sip.Messages;

/// <summary>
/// A sip, sips or tel URI. User and Password are unescaped; parameter and header values are kept as written.
/// For tel URIs the number is in <see cref="User"/> and <see cref="Host"/> is empty.
/// </summary>
public sealed class SipUri : IEquatable<SipUri>
{
    // Parameters whose presence in one URI but not the other makes them unequal (RFC 3261 §19.1.4).
    private static readonly string[] SignificantParameters = ["user", "ttl", "method", "maddr", "transport"];

    private static readonly IReadOnlyList<KeyValuePair<string, string?>> NoParameters = [];
    private static readonly IReadOnlyList<KeyValuePair<string, string>> NoHeaders = [];

    private string? _text;

    private SipUri(
        string scheme,
        string? user,
        string? password,
        string host,
        int? port,
        IReadOnlyList<KeyValuePair<string, string?>> parameters,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string? text)
    {
        Scheme = scheme;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        Parameters = parameters;
        Headers = headers;
        _text = text;
    }

    /// <summary>Lower-case scheme: "sip", "sips", "tel" (or another scheme for URIs found in header fields).</summary>
    public string Scheme { get; }

    public string? User { get; }

    public string? Password { get; }

    /// <summary>Host as written; an IPv6 reference keeps its brackets.</summary>
    public string Host { get; }

    public int? Port { get; }

    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public string? Transport => GetParameter("transport");

    /// <summary>True for sip/sips/tel; false for a URI of another scheme carried opaquely in a header field.</summary>
    public bool IsSupportedScheme => Scheme is "sip" or "sips" or "tel";

    public string? GetParameter(string name)
    {
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }

        return null;
    }

    public bool HasParameter(string name)
    {
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    public static bool TryParse(string text, out SipUri? uri)
    {
        ArgumentNullException.ThrowIfNull(text);
        uri = TryCreate(text, allowOtherSchemes: false, out _);
        return uri is not null;
    }

    /// <summary>Parses or throws <see cref="SipParseException"/> with 416 (unsupported scheme) or 400.</summary>
    public static SipUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var uri = TryCreate(text, allowOtherSchemes: false, out var result);
        return uri ?? throw (result == UriScanResult.UnsupportedScheme
            ? new SipParseException(416, "Unsupported URI Scheme")
            : new SipParseException(400, "Bad Request - Invalid URI"));
    }

    internal static SipUri? TryCreate(string text, bool allowOtherSchemes, out UriScanResult result)
    {
        result = UriScanner.Scan(text, allowOtherSchemes, out var parts);
        return result == UriScanResult.Ok ? Create(text, parts) : null;
    }

    internal static SipUri? Create(string text, in UriParts parts)
    {
        var s = text.AsSpan();
        var scheme = parts.Kind switch
        {
            UriKind.Sip => "sip",
            UriKind.Sips => "sips",
            UriKind.Tel => "tel",
            _ => text[..parts.SchemeLength].ToLowerInvariant(),
        };
        if (parts.Kind == UriKind.Other)
        {
            return new SipUri(scheme, null, null, string.Empty, null, NoParameters, NoHeaders, text);
        }

        string? user = null;
        string? password = null;
        if (parts.UserStart >= 0)
        {
            if (parts.Kind == UriKind.Tel) user = text.Substring(parts.UserStart, parts.UserLength);
            else if (!SipSyntax.TryUnescape(s.Slice(parts.UserStart, parts.UserLength), out user)) return null;
        }

        if (parts.PasswordStart >= 0 && !SipSyntax.TryUnescape(s.Slice(parts.PasswordStart, parts.PasswordLength), out password))
        {
            return null;
        }

        var host = parts.Kind == UriKind.Tel ? string.Empty : text.Substring(parts.HostStart, parts.HostLength);
        var parameters = NoParameters;
        if (parts.ParamsStart >= 0)
        {
            var list = new List<KeyValuePair<string, string?>>(2);
            foreach (var segment in s[(parts.ParamsStart + 1)..parts.ParamsEnd].Split(';'))
            {
                var p = s[(parts.ParamsStart + 1)..parts.ParamsEnd][segment];
                var eq = p.IndexOf('=');
                list.Add(eq < 0
                    ? new(p.ToString(), null)
                    : new(p[..eq].ToString(), p[(eq + 1)..].ToString()));
            }

            parameters = list;
        }

        var headers = NoHeaders;
        if (parts.HeadersStart >= 0)
        {
            var list = new List<KeyValuePair<string, string>>(1);
            var h = s[parts.HeadersStart..];
            foreach (var segment in h.Split('&'))
            {
                var p = h[segment];
                var eq = p.IndexOf('=');
                list.Add(new(p[..eq].ToString(), p[(eq + 1)..].ToString()));
            }

            headers = list;
        }

        return new SipUri(scheme, user, password, host, parts.Port >= 0 ? parts.Port : null, parameters, headers, text);
    }

    // Contact: * has no real URI; this placeholder keeps SipNameAddress.Uri non-null.
    internal static SipUri CreateWildcard() => new("sip", null, null, "*", null, NoParameters, NoHeaders, "*");

    public SipUri WithHost(string host, int? port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return new SipUri(Scheme, User, Password, host, port, Parameters, Headers, null);
    }

    /// <summary>Returns a copy with the parameter set (replacing an existing one of the same name).</summary>
    public SipUri WithParameter(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var list = new List<KeyValuePair<string, string?>>(Parameters.Count + 1);
        var replaced = false;
        foreach (var p in Parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                if (!replaced) list.Add(new(name, value));
                replaced = true;
            }
            else
            {
                list.Add(p);
            }
        }

        if (!replaced) list.Add(new(name, value));
        return new SipUri(Scheme, User, Password, Host, Port, list, Headers, null);
    }

    public override string ToString() => _text ??= Build();

    private string Build()
    {
        var sb = new StringBuilder(64).Append(Scheme).Append(':');
        if (Scheme == "tel")
        {
            sb.Append(User);
        }
        else
        {
            if (User is not null)
            {
                sb.Append(SipSyntax.Escape(User, c => SipSyntax.IsUnreserved(c) || "&=+$,;?/".Contains(c)));
                if (Password is not null) sb.Append(':').Append(SipSyntax.Escape(Password, c => SipSyntax.IsUnreserved(c) || "&=+$,".Contains(c)));
                sb.Append('@');
            }

            sb.Append(Host);
            if (Port is { } port) sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var p in Parameters)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is not null) sb.Append('=').Append(p.Value);
        }

        for (var i = 0; i < Headers.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&').Append(Headers[i].Key).Append('=').Append(Headers[i].Value);
        }

        return sb.ToString();
    }

    public override bool Equals(object? obj) => Equals(obj as SipUri);

    /// <summary>RFC 3261 §19.1.4 URI comparison.</summary>
    public bool Equals(SipUri? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (!string.Equals(Scheme, other.Scheme, StringComparison.Ordinal)) return false;
        if (!IsSupportedScheme) return string.Equals(ToString(), other.ToString(), StringComparison.OrdinalIgnoreCase);
        if (Scheme == "tel")
        {
            if (!string.Equals(NormaliseTel(User), NormaliseTel(other.User), StringComparison.OrdinalIgnoreCase)) return false;
            return SameParameterSet(this, other);
        }

        // userinfo is case-sensitive (escapes already resolved); host is not.
        if (!string.Equals(User, other.User, StringComparison.Ordinal)) return false;
        if (!string.Equals(Password, other.Password, StringComparison.Ordinal)) return false;
        if (!HostEquals(Host, other.Host)) return false;
        if (Port != other.Port) return false;
        if (!ParametersMatch(this, other) || !ParametersMatch(other, this)) return false;
        return HeadersMatch(this, other) && HeadersMatch(other, this);
    }

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Scheme, StringComparer.Ordinal);
        hash.Add(Scheme == "tel" ? NormaliseTel(User) : User, StringComparer.OrdinalIgnoreCase);
        hash.Add(Scheme == "tel" ? null : NormaliseHost(Host), StringComparer.OrdinalIgnoreCase);
        hash.Add(Port);
        return hash.ToHashCode();
    }

    public static bool operator ==(SipUri? left, SipUri? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(SipUri? left, SipUri? right) => !(left == right);

    private static string NormaliseHost(string host) =>
        host.StartsWith('[') && IPAddress.TryParse(host.AsSpan(1, host.Length - 2), out var address) ? address.ToString() : host;

    private static bool HostEquals(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return true;
        return a.StartsWith('[') && b.StartsWith('[')
            && IPAddress.TryParse(a.AsSpan(1, a.Length - 2), out var x)
            && IPAddress.TryParse(b.AsSpan(1, b.Length - 2), out var y)
            && x.Equals(y);
    }

    private static bool ParametersMatch(SipUri a, SipUri b)
    {
        foreach (var p in a.Parameters)
        {
            var found = false;
            foreach (var q in b.Parameters)
            {
                if (!string.Equals(p.Key, q.Key, StringComparison.OrdinalIgnoreCase)) continue;
                found = true;
                if (!string.Equals(Unescape(p.Value), Unescape(q.Value), StringComparison.OrdinalIgnoreCase)) return false;
                break;
            }

            if (!found && Array.Exists(SignificantParameters, s => string.Equals(s, p.Key, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HeadersMatch(SipUri a, SipUri b)
    {
        foreach (var h in a.Headers)
        {
            var found = false;
            foreach (var g in b.Headers)
            {
                if (string.Equals(h.Key, g.Key, StringComparison.OrdinalIgnoreCase)
                    && string.Equals(Unescape(h.Value), Unescape(g.Value), StringComparison.Ordinal))
                {
                    found = true;
                    break;
                }
            }

            if (!found) return false;
        }

        return true;
    }

    private static bool SameParameterSet(SipUri a, SipUri b)
    {
        if (a.Parameters.Count != b.Parameters.Count) return false;
        foreach (var p in a.Parameters)
        {
            var v = b.GetParameter(p.Key);
            if (!b.HasParameter(p.Key) || !string.Equals(Unescape(p.Value), Unescape(v), StringComparison.OrdinalIgnoreCase)) return false;
        }

        return true;
    }

    private static string? Unescape(string? value) =>
        value is null ? null : SipSyntax.TryUnescape(value, out var result) ? result : value;

    // RFC 3966 §4: visual separators carry no meaning.
    private static string? NormaliseTel(string? number)
    {
        if (number is null || number.AsSpan().IndexOfAny("-.()") < 0) return number;
        var sb = new StringBuilder(number.Length);
        foreach (var c in number)
        {
            if (c is not ('-' or '.' or '(' or ')')) sb.Append(c);
        }

        return sb.ToString();
    }
}
