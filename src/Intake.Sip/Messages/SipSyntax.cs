using System.Buffers;

namespace Intake.Sip.Messages;

/// <summary>Character classes and small scanners from the RFC 3261 §25 grammar, shared by every parser.</summary>
internal static class SipSyntax
{
    // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-.!%*_+`'~");

    // unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    private static readonly SearchValues<char> UnreservedChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()");

    public static bool IsDigit(int c) => (uint)(c - '0') <= 9;

    public static bool IsAlpha(int c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    public static bool IsHex(int c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 5;

    public static bool IsTokenChar(int c) => c < 128 && TokenChars.Contains((char)c);

    public static bool IsUnreserved(int c) => c < 128 && UnreservedChars.Contains((char)c);

    public static bool IsWsp(int c) => c == ' ' || c == '\t';

    /// <summary>Linear white space including the CR/LF of a folded line.</summary>
    public static bool IsLws(int c) => c == ' ' || c == '\t' || c == '\r' || c == '\n';

    public static int SkipLws(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && IsLws(s[i])) i++;
        return i;
    }

    public static int SkipLws(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && IsLws(s[i])) i++;
        return i;
    }

    public static ReadOnlySpan<char> TrimLws(ReadOnlySpan<char> s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsLws(s[start])) start++;
        while (end > start && IsLws(s[end - 1])) end--;
        return s[start..end];
    }

    public static bool IsToken(ReadOnlySpan<char> s)
    {
        return !s.IsEmpty && !s.ContainsAnyExcept(TokenChars);
    }

    public static int HexValue(int c) => IsDigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// Scans a quoted-string starting at the opening quote; returns the index after the closing quote or -1.
    /// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F).
    /// </summary>
    public static int ScanQuotedString(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length || s[i] != '"') return -1;
        i++;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '"') return i + 1;
            if (c == '\\')
            {
                if (i + 1 >= s.Length || s[i + 1] == '\r' || s[i + 1] == '\n') return -1;
                i += 2;
                continue;
            }

            i++;
        }

        return -1;
    }

    /// <summary>Removes the surrounding quotes and resolves quoted-pairs.</summary>
    public static string Unquote(ReadOnlySpan<char> quoted)
    {
        var inner = quoted[1..^1];
        if (!inner.Contains('\\')) return inner.ToString();
        var chars = inner.Length <= 256 ? stackalloc char[inner.Length] : new char[inner.Length];
        var n = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == '\\' && i + 1 < inner.Length) i++;
            chars[n++] = inner[i];
        }

        return new string(chars[..n]);
    }

    /// <summary>Quotes a display name or parameter value, escaping quote and backslash.</summary>
    public static string Quote(string value)
    {
        if (value.AsSpan().IndexOfAny('"', '\\') < 0) return string.Concat("\"", value, "\"");
        var sb = new System.Text.StringBuilder(value.Length + 4).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Finds the end of the next element of a comma-separated header list, ignoring commas inside
    /// quoted strings and angle brackets (RFC 3261 §7.3.1). Returns -1 on an unbalanced quote or bracket.
    /// </summary>
    public static int FindListElementEnd(ReadOnlySpan<char> s, int start)
    {
        var inAngle = false;
        var i = start;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '"')
            {
                var end = ScanQuotedString(s, i);
                if (end < 0) return -1;
                i = end;
                continue;
            }

            if (c == '<') inAngle = true;
            else if (c == '>') inAngle = false;
            else if (c == ',' && !inAngle) return i;
            i++;
        }

        return inAngle ? -1 : s.Length;
    }

    /// <summary>Splits a list header value into trimmed, non-empty elements.</summary>
    public static void SplitList(string value, List<string> into)
    {
        var s = value.AsSpan();
        var start = 0;
        while (start <= s.Length)
        {
            var end = FindListElementEnd(s, start);
            if (end < 0)
            {
                // Unbalanced: keep the remainder whole rather than inventing elements.
                var rest = TrimLws(s[start..]);
                if (!rest.IsEmpty) into.Add(rest.ToString());
                return;
            }

            var element = TrimLws(s[start..end]);
            if (!element.IsEmpty) into.Add(element.Length == value.Length ? value : element.ToString());
            start = end + 1;
        }
    }

    /// <summary>Decodes %HH escapes; returns false on a malformed escape.</summary>
    public static bool TryUnescape(ReadOnlySpan<char> s, out string result)
    {
        if (!s.Contains('%'))
        {
            result = s.ToString();
            return true;
        }

        var bytes = new byte[s.Length * 3];
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !IsHex(s[i + 1]) || !IsHex(s[i + 2]))
                {
                    result = string.Empty;
                    return false;
                }

                bytes[n++] = (byte)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2]));
                i += 2;
            }
            else
            {
                n += System.Text.Encoding.UTF8.GetBytes(s.Slice(i, 1), bytes.AsSpan(n));
            }
        }

        result = System.Text.Encoding.UTF8.GetString(bytes, 0, n);
        return true;
    }

    /// <summary>Percent-encodes every character not in the allowed set (UTF-8 based).</summary>
    public static string Escape(string value, Func<char, bool> allowed)
    {
        var needs = false;
        foreach (var c in value)
        {
            if (!allowed(c))
            {
                needs = true;
                break;
            }
        }

        if (!needs) return value;
        var sb = new System.Text.StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (allowed(c))
            {
                sb.Append(c);
                continue;
            }

            var len = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? System.Text.Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : System.Text.Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            for (var k = 0; k < len; k++) sb.Append('%').Append(utf8[k].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
