namespace Intake.Sip.Auth;

/// <summary>
/// Parses "Digest name=value, name="quoted", ..." (RFC 3261 §25.1 challenge/credentials, RFC 7235 auth-param).
/// Input comes straight from the network, so every fault is a false return with a reason, never an exception.
/// </summary>
internal static class DigestParameterParser
{
    public const int MaxValueLength = 4096;
    public const int MaxParameterCount = 32;

    public static bool TryParse(
        string? value, out string scheme, out Dictionary<string, string> parameters, out string error)
    {
        scheme = string.Empty;
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "empty credentials";
            return false;
        }

        if (value.Length > MaxValueLength)
        {
            error = "credentials too long";
            return false;
        }

        var text = value.AsSpan();
        var pos = SkipWhitespace(text, 0);
        var schemeStart = pos;
        while (pos < text.Length && IsTokenChar(text[pos]))
        {
            pos++;
        }

        if (pos == schemeStart || pos >= text.Length || !IsWhitespace(text[pos]))
        {
            error = "missing auth scheme";
            return false;
        }

        scheme = text[schemeStart..pos].ToString();
        var expectParameter = true;
        while (true)
        {
            pos = SkipWhitespace(text, pos);
            if (pos >= text.Length)
            {
                break;
            }

            if (text[pos] == ',')
            {
                // Empty list elements are allowed by RFC 7230 §7 list syntax.
                pos++;
                expectParameter = true;
                continue;
            }

            if (!expectParameter)
            {
                error = "missing comma between parameters";
                return false;
            }

            if (!TryReadParameter(text, ref pos, out var name, out var parameterValue, out error))
            {
                return false;
            }

            if (parameters.Count >= MaxParameterCount)
            {
                error = "too many parameters";
                return false;
            }

            if (!parameters.TryAdd(name, parameterValue))
            {
                error = $"duplicate parameter '{name}'";
                return false;
            }

            expectParameter = false;
        }

        if (parameters.Count == 0)
        {
            error = "no parameters";
            return false;
        }

        return true;
    }

    private static bool TryReadParameter(
        ReadOnlySpan<char> text, ref int pos, out string name, out string value, out string error)
    {
        name = string.Empty;
        value = string.Empty;
        var nameStart = pos;
        while (pos < text.Length && IsTokenChar(text[pos]))
        {
            pos++;
        }

        if (pos == nameStart)
        {
            error = $"unexpected character at {pos}";
            return false;
        }

        name = text[nameStart..pos].ToString();
        pos = SkipWhitespace(text, pos);
        if (pos >= text.Length || text[pos] != '=')
        {
            error = $"parameter '{name}' has no value";
            return false;
        }

        pos = SkipWhitespace(text, pos + 1);
        if (pos < text.Length && text[pos] == '"')
        {
            return TryReadQuoted(text, ref pos, name, out value, out error);
        }

        var valueStart = pos;
        while (pos < text.Length && IsTokenChar(text[pos]))
        {
            pos++;
        }

        if (pos == valueStart)
        {
            error = $"parameter '{name}' has an empty value";
            return false;
        }

        value = text[valueStart..pos].ToString();
        error = string.Empty;
        return true;
    }

    private static bool TryReadQuoted(
        ReadOnlySpan<char> text, ref int pos, string name, out string value, out string error)
    {
        value = string.Empty;
        pos++;
        var start = pos;
        var hasEscape = false;
        while (pos < text.Length && text[pos] != '"')
        {
            if (text[pos] == '\\')
            {
                hasEscape = true;
                pos++;
            }
            else if (text[pos] is '\r' or '\n' or '\0')
            {
                error = $"control character in parameter '{name}'";
                return false;
            }

            pos++;
        }

        if (pos >= text.Length)
        {
            error = $"unterminated quoted string in parameter '{name}'";
            return false;
        }

        var raw = text[start..pos];
        pos++;
        value = hasEscape ? Unescape(raw) : raw.ToString();
        error = string.Empty;
        return true;
    }

    private static string Unescape(ReadOnlySpan<char> raw)
    {
        var builder = new System.Text.StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length)
            {
                i++;
            }

            builder.Append(raw[i]);
        }

        return builder.ToString();
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int pos)
    {
        while (pos < text.Length && IsWhitespace(text[pos]))
        {
            pos++;
        }

        return pos;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>RFC 3261 §25.1 token characters.</summary>
    internal static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';
}
