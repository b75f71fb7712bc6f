using System.Text;

namespace Intake.Sip.Messages;

/// <summary>
/// name-addr or addr-spec with header parameters (From, To, Contact, Route, Record-Route, P-Asserted-Identity).
/// In addr-spec form, parameters after the URI belong to the header, never to the URI (RFC 3261 §20.10).
/// </summary>
public sealed class SipNameAddress
{
    private static readonly SipUri WildcardUri = SipUri.CreateWildcard();

    private string? _text;

    private SipNameAddress(string? displayName, SipUri uri, IReadOnlyList<KeyValuePair<string, string?>> parameters, bool isWildcard, string? text)
    {
        DisplayName = displayName;
        Uri = uri;
        Parameters = parameters;
        IsWildcard = isWildcard;
        _text = text;
    }

    public SipNameAddress(SipUri uri, string? displayName = null, IReadOnlyList<KeyValuePair<string, string?>>? parameters = null)
        : this(displayName, uri ?? throw new ArgumentNullException(nameof(uri)), parameters ?? HeaderParameters.Empty, false, null)
    {
    }

    /// <summary>Display name without quotes or escapes; null when absent.</summary>
    public string? DisplayName { get; }

    public SipUri Uri { get; }

    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; }

    public string? Tag => GetParameter("tag");

    /// <summary>Contact: * (RFC 3261 §10.2.2).</summary>
    public bool IsWildcard { get; }

    public string? GetParameter(string name) => HeaderParameters.Get(Parameters, name);

    public bool HasParameter(string name) => HeaderParameters.Has(Parameters, name);

    public static bool TryParse(string text, out SipNameAddress? value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = null;
        if (!TryScan(text, out var parts)) return false;
        var s = text.AsSpan();
        if (parts.IsWildcard)
        {
            value = new SipNameAddress(null, WildcardUri, HeaderParameters.Empty, true, "*");
            return true;
        }

        var uriText = text.Substring(parts.UriStart, parts.UriLength);
        if (!UriScanner.Scan(uriText, allowOtherSchemes: true, out var uriParts).Equals(UriScanResult.Ok)) return false;
        var uri = SipUri.Create(uriText, uriParts);
        if (uri is null) return false;
        string? display = null;
        if (parts.DisplayLength > 0)
        {
            var d = s.Slice(parts.DisplayStart, parts.DisplayLength);
            display = d[0] == '"' ? SipSyntax.Unquote(d) : d.ToString();
        }
        else if (parts.DisplayQuoted)
        {
            display = string.Empty;
        }

        var parameters = HeaderParameters.Empty;
        if (parts.ParamsStart < s.Length)
        {
            var list = new List<KeyValuePair<string, string?>>(2);
            HeaderParameters.Scan(s, parts.ParamsStart, list);
            parameters = list;
        }

        value = new SipNameAddress(display, uri, parameters, false, SipSyntax.TrimLws(s).Length == s.Length ? text : SipSyntax.TrimLws(s).ToString());
        return true;
    }

    internal struct Parts
    {
        public bool IsWildcard;
        public bool DisplayQuoted;
        public int DisplayStart;
        public int DisplayLength;
        public int UriStart;
        public int UriLength;
        public int ParamsStart;
    }

    /// <summary>Validates without allocating (except for IPv6 literal checks).</summary>
    internal static bool TryScan(ReadOnlySpan<char> s, out Parts parts)
    {
        parts = default;
        var i = SipSyntax.SkipLws(s, 0);
        if (i >= s.Length) return false;
        if (s[i] == '*')
        {
            parts.IsWildcard = true;
            return SipSyntax.SkipLws(s, i + 1) == s.Length;
        }

        if (s[i] == '"')
        {
            var end = SipSyntax.ScanQuotedString(s, i);
            if (end < 0) return false;
            parts.DisplayQuoted = true;
            parts.DisplayStart = i;
            parts.DisplayLength = end - i == 2 ? 0 : end - i;
            i = SipSyntax.SkipLws(s, end);
            if (i >= s.Length || s[i] != '<') return false;
        }
        else
        {
            var j = i;
            while (j < s.Length && (SipSyntax.IsTokenChar(s[j]) || SipSyntax.IsLws(s[j]))) j++;
            if (j < s.Length && s[j] == '<')
            {
                var display = SipSyntax.TrimLws(s[i..j]);
                parts.DisplayStart = i;
                parts.DisplayLength = display.Length;
                i = j;
            }
        }

        if (s[i] == '<')
        {
            var close = s[i..].IndexOf('>');
            if (close < 0) return false;
            parts.UriStart = i + 1;
            parts.UriLength = close - 1;
            i += close + 1;
        }
        else
        {
            // addr-spec: the URI stops at the first ';' or white space, and may not carry '?' headers or ','.
            var start = i;
            while (i < s.Length && s[i] != ';' && !SipSyntax.IsLws(s[i]))
            {
                if (s[i] is '?' or ',' or '<' or '>' or '"') return false;
                i++;
            }

            parts.UriStart = start;
            parts.UriLength = i - start;
        }

        if (parts.UriLength == 0) return false;
        if (UriScanner.Scan(s.Slice(parts.UriStart, parts.UriLength), allowOtherSchemes: true, out _) != UriScanResult.Ok) return false;
        parts.ParamsStart = i;
        return HeaderParameters.Scan(s, i, null);
    }

    public SipNameAddress WithTag(string tag) => WithParameter("tag", tag);

    public SipNameAddress WithParameter(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new SipNameAddress(DisplayName, Uri, HeaderParameters.With(Parameters, name, value), IsWildcard, null);
    }

    public override string ToString() => _text ??= Build();

    private string Build()
    {
        if (IsWildcard) return "*";
        var sb = new StringBuilder(64);
        if (DisplayName is not null) sb.Append(SipSyntax.Quote(DisplayName)).Append(' ');
        sb.Append('<').Append(Uri.ToString()).Append('>');
        HeaderParameters.Append(sb, Parameters);
        return sb.ToString();
    }
}
