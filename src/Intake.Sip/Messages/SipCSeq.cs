namespace Intake.Sip.Messages;

/// <summary>CSeq header value: sequence number and method (RFC 3261 §20.16).</summary>
public readonly record struct SipCSeq(uint Number, string Method)
{
    /// <summary>Largest allowed sequence number: RFC 3261 §8.1.1.5 requires it to be below 2**31.</summary>
    public const uint MaxNumber = int.MaxValue;

    public static bool TryParse(string text, out SipCSeq value)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryScan(text, out var number, out var methodStart, out var methodLength))
        {
            value = default;
            return false;
        }

        value = new SipCSeq(number, text.Substring(methodStart, methodLength));
        return true;
    }

    /// <summary>Validates a CSeq value without allocating; works on the raw header bytes.</summary>
    internal static bool TryScan(ReadOnlySpan<byte> text, out uint number, out int methodStart, out int methodLength)
    {
        number = 0;
        methodStart = 0;
        methodLength = 0;
        var i = SipSyntax.SkipLws(text, 0);
        var digitsStart = i;
        ulong n = 0;
        while (i < text.Length && SipSyntax.IsDigit(text[i]))
        {
            n = (n * 10) + (uint)(text[i] - '0');
            if (n > MaxNumber) return false;
            i++;
        }

        if (i == digitsStart || i - digitsStart > 10) return false;
        var afterDigits = i;
        i = SipSyntax.SkipLws(text, i);
        if (i == afterDigits) return false;
        methodStart = i;
        while (i < text.Length && SipSyntax.IsTokenChar(text[i])) i++;
        methodLength = i - methodStart;
        if (methodLength == 0) return false;
        if (SipSyntax.SkipLws(text, i) != text.Length) return false;
        number = (uint)n;
        return true;
    }

    internal static bool TryScan(ReadOnlySpan<char> text, out uint number, out int methodStart, out int methodLength)
    {
        Span<byte> bytes = stackalloc byte[Math.Min(text.Length, 256)];
        number = 0;
        methodStart = 0;
        methodLength = 0;
        if (text.Length > 256) return false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7f) return false;
            bytes[i] = (byte)text[i];
        }

        return TryScan(bytes, out number, out methodStart, out methodLength);
    }

    public override string ToString() => $"{Number} {Method}";
}
