using System.Text;

namespace Intake.Sip.Messages;

/// <summary>Header name table: canonical names, compact forms (RFC 3261 §7.3.3 and extensions) and list-valued headers.</summary>
internal static class HeaderNames
{
    private static readonly string[] Canonical =
    [
        string.Empty, "Via", "From", "To", "Call-ID", "CSeq", "Contact", "Max-Forwards", "Content-Length", "Content-Type",
        "Route", "Record-Route", "Require", "Proxy-Require", "Supported", "Unsupported", "Allow", "Accept", "Expires", "Min-Expires",
        "Authorization", "WWW-Authenticate", "Proxy-Authorization", "Proxy-Authenticate", "User-Agent", "Server", "Warning", "Retry-After",
        "Subject", "Event", "Refer-To", "Geolocation", "Geolocation-Routing", "P-Asserted-Identity", "Privacy", "Call-Info", "Alert-Info", "Date",
        "Timestamp", "Organization", "Content-Disposition", "Content-Encoding", "Accept-Encoding", "Accept-Language", "MIME-Version", "Priority", "Reason",
    ];

    // Compact forms of headers that have no HeaderId; still equivalent to their long names when matching by name.
    private static readonly (char Compact, string Full)[] OtherCompact =
    [
        ('u', "Allow-Events"), ('b', "Referred-By"), ('x', "Session-Expires"), ('y', "Identity"),
        ('a', "Accept-Contact"), ('j', "Reject-Contact"), ('d', "Request-Disposition"), ('n', "Identity-Info"),
    ];

    // Index: lower-case letter - 'a'.
    private static readonly HeaderId[] CompactIds = BuildCompact();

    // Candidates grouped by name length so Identify compares against at most a handful of names.
    private static readonly (byte[] Name, HeaderId Id)[][] ByLength = BuildByLength();

    private static readonly bool[] ListValued = BuildListValued();

    public static string GetCanonical(HeaderId id) => Canonical[(int)id];

    public static bool IsList(HeaderId id) => ListValued[(int)id];

    public static HeaderId Identify(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            var c = name[0] | 0x20;
            return c is >= 'a' and <= 'z' ? CompactIds[c - 'a'] : HeaderId.Unknown;
        }

        if (name.Length >= ByLength.Length) return HeaderId.Unknown;
        foreach (var (candidate, id) in ByLength[name.Length])
        {
            if (Ascii.EqualsIgnoreCase(name, candidate)) return id;
        }

        return HeaderId.Unknown;
    }

    public static HeaderId Identify(ReadOnlySpan<char> name)
    {
        if (name.Length == 1)
        {
            var c = name[0] | 0x20;
            return c is >= 'a' and <= 'z' ? CompactIds[c - 'a'] : HeaderId.Unknown;
        }

        if (name.Length >= ByLength.Length) return HeaderId.Unknown;
        foreach (var (candidate, id) in ByLength[name.Length])
        {
            if (Ascii.EqualsIgnoreCase(name, candidate)) return id;
        }

        return HeaderId.Unknown;
    }

    /// <summary>Long form of a compact name without a HeaderId ("u" becomes "Allow-Events"); otherwise the name itself.</summary>
    public static string Expand(string name)
    {
        if (name.Length != 1) return name;
        var c = char.ToLowerInvariant(name[0]);
        foreach (var (compact, full) in OtherCompact)
        {
            if (compact == c) return full;
        }

        return name;
    }

    /// <summary>Whether two unknown header names denote the same header.</summary>
    public static bool SameUnknown(string a, string b) =>
        string.Equals(Expand(a), Expand(b), StringComparison.OrdinalIgnoreCase);

    private static HeaderId[] BuildCompact()
    {
        var ids = new HeaderId[26];
        void Set(char c, HeaderId id) => ids[c - 'a'] = id;
        Set('i', HeaderId.CallId);
        Set('m', HeaderId.Contact);
        Set('e', HeaderId.ContentEncoding);
        Set('l', HeaderId.ContentLength);
        Set('c', HeaderId.ContentType);
        Set('f', HeaderId.From);
        Set('s', HeaderId.Subject);
        Set('k', HeaderId.Supported);
        Set('t', HeaderId.To);
        Set('v', HeaderId.Via);
        Set('o', HeaderId.Event);
        Set('r', HeaderId.ReferTo);
        return ids;
    }

    private static (byte[] Name, HeaderId Id)[][] BuildByLength()
    {
        var max = Canonical.Max(n => n.Length);
        var lists = new List<(byte[], HeaderId)>[max + 1];
        for (var i = 0; i < lists.Length; i++) lists[i] = [];
        for (var id = 1; id < Canonical.Length; id++)
        {
            lists[Canonical[id].Length].Add((Encoding.ASCII.GetBytes(Canonical[id]), (HeaderId)id));
        }

        return lists.Select(l => l.ToArray()).ToArray();
    }

    private static bool[] BuildListValued()
    {
        var list = new bool[Canonical.Length];
        HeaderId[] ids =
        [
            HeaderId.Unknown, HeaderId.Via, HeaderId.Contact, HeaderId.Route, HeaderId.RecordRoute, HeaderId.Require,
            HeaderId.ProxyRequire, HeaderId.Supported, HeaderId.Unsupported, HeaderId.Allow, HeaderId.Accept, HeaderId.Warning,
            HeaderId.Geolocation, HeaderId.PAssertedIdentity, HeaderId.CallInfo, HeaderId.AlertInfo, HeaderId.ContentEncoding,
            HeaderId.AcceptEncoding, HeaderId.AcceptLanguage, HeaderId.Reason,
        ];
        foreach (var id in ids) list[(int)id] = true;
        return list;
    }
}
