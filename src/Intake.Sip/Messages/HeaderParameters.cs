namespace Intake.Sip.Messages;

/// <summary>Scans and edits header parameter lists: *( SEMI generic-param ), RFC 3261 §25.1.</summary>
internal static class HeaderParameters
{
    public static readonly IReadOnlyList<KeyValuePair<string, string?>> Empty = [];

    /// <summary>
    /// Scans parameters from <paramref name="i"/> to the end of <paramref name="s"/>; returns false on any syntax fault
    /// (empty name, stray character, unterminated quote). Values are kept as written (quoted strings keep quotes).
    /// </summary>
    public static bool Scan(ReadOnlySpan<char> s, int i, List<KeyValuePair<string, string?>>? into)
    {
        while (true)
        {
            i = SipSyntax.SkipLws(s, i);
            if (i >= s.Length) return true;
            if (s[i] != ';') return false;
            i = SipSyntax.SkipLws(s, i + 1);
            var nameStart = i;
            while (i < s.Length && SipSyntax.IsTokenChar(s[i])) i++;
            if (i == nameStart) return false;
            var name = s[nameStart..i];
            i = SipSyntax.SkipLws(s, i);
            if (i < s.Length && s[i] == '=')
            {
                i = SipSyntax.SkipLws(s, i + 1);
                var valueStart = i;
                if (i < s.Length && s[i] == '"')
                {
                    i = SipSyntax.ScanQuotedString(s, i);
                    if (i < 0) return false;
                }
                else
                {
                    while (i < s.Length && IsValueChar(s[i])) i++;
                    if (i == valueStart) return false;
                }

                into?.Add(new(name.ToString(), s[valueStart..i].ToString()));
            }
            else
            {
                into?.Add(new(name.ToString(), null));
            }
        }
    }

    public static string? Get(IReadOnlyList<KeyValuePair<string, string?>> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value;
        }

        return null;
    }

    public static bool Has(IReadOnlyList<KeyValuePair<string, string?>> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    public static List<KeyValuePair<string, string?>> With(IReadOnlyList<KeyValuePair<string, string?>> parameters, string name, string? value)
    {
        var list = new List<KeyValuePair<string, string?>>(parameters.Count + 1);
        var replaced = false;
        foreach (var p in parameters)
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
        return list;
    }

    public static void Append(System.Text.StringBuilder sb, IReadOnlyList<KeyValuePair<string, string?>> parameters)
    {
        foreach (var p in parameters)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is not null) sb.Append('=').Append(p.Value);
        }
    }

    // gen-value = token / host / quoted-string; host adds ':' '[' ']' for IPv6.
    private static bool IsValueChar(char c) => SipSyntax.IsTokenChar(c) || c is ':' or '[' or ']';
}
