using System.Buffers;
using System.Text;

namespace Intake.Sip.Messages;

/// <summary>
/// Message-level checks run by the parser after lexing (RFC 3261 §8.1.1, §8.2.2, §20): mandatory headers present
/// once, CSeq/Max-Forwards/Content-Length scalars in range, and From/To/Via/Contact/Route syntax. Works on the raw
/// bytes so that a valid message costs no extra allocation.
/// </summary>
internal static class SipMessageValidator
{
    private const int StackChars = 512;

    internal readonly record struct Outcome(int StatusCode, string? Error)
    {
        public static readonly Outcome Valid = new(0, null);
    }

    private delegate bool Scanner(ReadOnlySpan<char> value);

    private static readonly Scanner NameAddressScanner = static s => SipNameAddress.TryScan(s, out var p) && !p.IsWildcard;
    private static readonly Scanner ContactScanner = static s => SipNameAddress.TryScan(s, out _);
    private static readonly Scanner ViaScanner = static s => SipVia.TryScan(s, out _);

    public static Outcome Validate(SipHeaders headers, string? method, int bodyAvailable, SipParserLimits limits, out int contentLength)
    {
        contentLength = -1;
        var entries = headers.Entries;
        int via = -1, from = -1, to = -1, callId = -1, cseq = -1, maxForwards = -1, length = -1;
        for (var i = 0; i < entries.Length; i++)
        {
            var id = entries[i].Id;
            switch (id)
            {
                case HeaderId.Via: if (via < 0) via = i; break;
                case HeaderId.From: if (!Once(ref from, i)) return Bad("Multiple From"); break;
                case HeaderId.To: if (!Once(ref to, i)) return Bad("Multiple To"); break;
                case HeaderId.CallId: if (!Once(ref callId, i)) return Bad("Multiple Call-ID"); break;
                case HeaderId.CSeq: if (!Once(ref cseq, i)) return Bad("Multiple CSeq"); break;
                case HeaderId.MaxForwards: if (!Once(ref maxForwards, i)) return Bad("Multiple Max-Forwards"); break;
                case HeaderId.ContentLength:
                    if (length >= 0 && !headers.RawValue(entries[length]).SequenceEqual(headers.RawValue(entries[i])))
                    {
                        return Bad("Multiple Content-Length");
                    }

                    length = i;
                    break;
            }
        }

        if (to < 0) return Bad("Missing To");
        if (from < 0) return Bad("Missing From");
        if (callId < 0) return Bad("Missing Call-ID");
        if (cseq < 0) return Bad("Missing CSeq");
        if (via < 0) return Bad("Missing Via");

        if (!SipCSeq.TryScan(headers.RawValue(entries[cseq]), out _, out var methodStart, out var methodLength)) return Bad("Invalid CSeq");
        if (method is not null && !Ascii.Equals(headers.RawValue(entries[cseq]).Slice(methodStart, methodLength), method))
        {
            return Bad("CSeq method does not match Request-Line");
        }

        if (maxForwards >= 0 && !TryParseNumber(headers.RawValue(entries[maxForwards]), 255, out _)) return Bad("Invalid Max-Forwards");
        if (!IsValidCallId(headers.RawValue(entries[callId]))) return Bad("Invalid Call-ID");
        if (!Check(headers, entries[from], NameAddressScanner)) return Bad("Invalid From");
        if (!Check(headers, entries[to], NameAddressScanner)) return Bad("Invalid To");

        for (var i = 0; i < entries.Length; i++)
        {
            var ok = entries[i].Id switch
            {
                HeaderId.Via => CheckList(headers, entries[i], ViaScanner),
                HeaderId.Contact => CheckList(headers, entries[i], ContactScanner),
                HeaderId.Route or HeaderId.RecordRoute => CheckList(headers, entries[i], NameAddressScanner),
                _ => true,
            };
            if (!ok) return Bad("Invalid " + headers.NameAt(i));
        }

        if (length >= 0)
        {
            if (!TryParseNumber(headers.RawValue(entries[length]), int.MaxValue, out contentLength)) return Bad("Invalid Content-Length");
            if (contentLength > limits.MaxBodyBytes) return new Outcome(413, "Request Entity Too Large");
            if (contentLength > bodyAvailable) return Bad("Content-Length exceeds message body");
        }

        return Outcome.Valid;
    }

    private static Outcome Bad(string fault) => new(400, "Bad Request - " + fault);

    private static bool Once(ref int index, int i)
    {
        if (index >= 0) return false;
        index = i;
        return true;
    }

    /// <summary>1*DIGIT no larger than <paramref name="max"/>.</summary>
    private static bool TryParseNumber(ReadOnlySpan<byte> s, int max, out int value)
    {
        value = 0;
        if (s.IsEmpty) return false;
        long n = 0;
        foreach (var b in s)
        {
            if (!SipSyntax.IsDigit(b)) return false;
            n = (n * 10) + (b - '0');
            if (n > max) return false;
        }

        value = (int)n;
        return true;
    }

    // callid = word [ "@" word ]; word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}")
    private static bool IsValidCallId(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        var at = s.IndexOf((byte)'@');
        if (at == 0 || at == s.Length - 1 || (at > 0 && s[(at + 1)..].Contains((byte)'@'))) return false;
        foreach (var b in s)
        {
            if (b <= 0x20 || b >= 0x7f || b is (byte)',' or (byte)';' or (byte)'=') return false;
        }

        return true;
    }

    private static bool Check(SipHeaders headers, in HeaderEntry entry, Scanner scanner)
    {
        var raw = headers.RawValue(entry);
        char[]? rented = null;
        var chars = raw.Length <= StackChars ? stackalloc char[raw.Length] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            var n = Encoding.UTF8.GetChars(raw, chars);
            return scanner(chars[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool CheckList(SipHeaders headers, in HeaderEntry entry, Scanner scanner)
    {
        var raw = headers.RawValue(entry);
        char[]? rented = null;
        var chars = raw.Length <= StackChars ? stackalloc char[raw.Length] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            var s = chars[..Encoding.UTF8.GetChars(raw, chars)];
            var start = 0;
            while (start <= s.Length)
            {
                var end = SipSyntax.FindListElementEnd(s, start);
                if (end < 0 || !scanner(s[start..end])) return false;
                start = end + 1;
            }

            return true;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }
}
