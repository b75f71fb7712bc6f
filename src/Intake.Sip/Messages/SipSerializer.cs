using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Intake.Sip.Messages;

/// <summary>
/// Writes messages as UTF-8. Untouched header lines and start lines are copied byte for byte from the
/// received buffer; Content-Length is always recomputed from <see cref="SipMessage.Body"/>.
/// </summary>
public static class SipSerializer
{
    private static readonly byte[] ContentLengthPrefix = "Content-Length: "u8.ToArray();

    public static byte[] Serialize(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var bytes = new byte[GetByteCount(message)];
        var written = Write(message, bytes);
        return written == bytes.Length ? bytes : bytes[..written];
    }

    public static void WriteTo(SipMessage message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        var count = GetByteCount(message);
        var span = writer.GetSpan(count);
        writer.Advance(Write(message, span));
    }

    public static int GetByteCount(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var total = StartLineByteCount(message) + 2;
        var headers = message.Headers;
        var entries = headers.Entries;
        var wroteLength = false;
        for (var i = 0; i < entries.Length; i++)
        {
            ref readonly var e = ref entries[i];
            if (e.Id == HeaderId.ContentLength)
            {
                if (!wroteLength) total += KeepsRawLength(headers, e, message.Body.Length) ? e.RawLength + 2 : ContentLengthLineBytes(message.Body.Length);
                wroteLength = true;
                continue;
            }

            total += e.IsRaw
                ? e.RawLength + 2
                : Encoding.UTF8.GetByteCount(headers.NameAt(i)) + 2 + Encoding.UTF8.GetByteCount(e.Value!) + 2;
        }

        if (!wroteLength) total += ContentLengthLineBytes(message.Body.Length);
        return total + 2 + message.Body.Length;
    }

    private static int Write(SipMessage message, Span<byte> dest)
    {
        var n = WriteStartLine(message, dest);
        var headers = message.Headers;
        var entries = headers.Entries;
        var wroteLength = false;
        for (var i = 0; i < entries.Length; i++)
        {
            ref readonly var e = ref entries[i];
            if (e.Id == HeaderId.ContentLength)
            {
                if (!wroteLength)
                {
                    if (KeepsRawLength(headers, e, message.Body.Length))
                    {
                        headers.RawLine(e).CopyTo(dest[n..]);
                        n += e.RawLength;
                        dest[n++] = (byte)'\r';
                        dest[n++] = (byte)'\n';
                    }
                    else
                    {
                        n += WriteContentLength(message.Body.Length, dest[n..]);
                    }
                }

                wroteLength = true;
                continue;
            }

            if (e.IsRaw)
            {
                headers.RawLine(e).CopyTo(dest[n..]);
                n += e.RawLength;
            }
            else
            {
                n += Encoding.UTF8.GetBytes(headers.NameAt(i), dest[n..]);
                dest[n++] = (byte)':';
                dest[n++] = (byte)' ';
                n += Encoding.UTF8.GetBytes(e.Value!, dest[n..]);
            }

            dest[n++] = (byte)'\r';
            dest[n++] = (byte)'\n';
        }

        if (!wroteLength) n += WriteContentLength(message.Body.Length, dest[n..]);
        dest[n++] = (byte)'\r';
        dest[n++] = (byte)'\n';
        message.Body.Span.CopyTo(dest[n..]);
        return n + message.Body.Length;
    }

    private static int StartLineByteCount(SipMessage message) => message switch
    {
        SipRequest { RawStartLineLength: >= 0 } r => r.RawStartLineLength,
        SipRequest r => Encoding.UTF8.GetByteCount(r.Method) + 1 + Encoding.UTF8.GetByteCount(r.RequestUri.ToString()) + 8,
        SipResponse { RawStartLineLength: >= 0 } r => r.RawStartLineLength,
        SipResponse r => 12 + Encoding.UTF8.GetByteCount(r.ReasonPhrase),
        _ => throw new ArgumentException("Unknown message type.", nameof(message)),
    };

    private static int WriteStartLine(SipMessage message, Span<byte> dest)
    {
        int n;
        switch (message)
        {
            case SipRequest { RawStartLineLength: >= 0 } r:
                r.RawStartLine.CopyTo(dest);
                n = r.RawStartLineLength;
                break;
            case SipRequest r:
                n = Encoding.UTF8.GetBytes(r.Method, dest);
                dest[n++] = (byte)' ';
                n += Encoding.UTF8.GetBytes(r.RequestUri.ToString(), dest[n..]);
                " SIP/2.0"u8.CopyTo(dest[n..]);
                n += 8;
                break;
            case SipResponse { RawStartLineLength: >= 0 } r:
                r.RawStartLine.CopyTo(dest);
                n = r.RawStartLineLength;
                break;
            case SipResponse r:
                "SIP/2.0 "u8.CopyTo(dest);
                Utf8Formatter.TryFormat(r.StatusCode, dest[8..], out _);
                dest[11] = (byte)' ';
                n = 12 + Encoding.UTF8.GetBytes(r.ReasonPhrase, dest[12..]);
                break;
            default:
                throw new ArgumentException("Unknown message type.", nameof(message));
        }

        dest[n++] = (byte)'\r';
        dest[n++] = (byte)'\n';
        return n;
    }

    // A received Content-Length that still matches the body is copied as it was (compact form, odd spacing and all).
    private static bool KeepsRawLength(SipHeaders headers, in HeaderEntry entry, int bodyLength) =>
        entry.IsRaw && Utf8Parser.TryParse(headers.RawValue(entry), out int value, out var consumed)
        && consumed == entry.ValueLength && value == bodyLength;

    private static int ContentLengthLineBytes(int length) => ContentLengthPrefix.Length + DigitCount(length) + 2;

    private static int WriteContentLength(int length, Span<byte> dest)
    {
        ContentLengthPrefix.CopyTo(dest);
        var n = ContentLengthPrefix.Length;
        Utf8Formatter.TryFormat(length, dest[n..], out var digits);
        n += digits;
        dest[n++] = (byte)'\r';
        dest[n++] = (byte)'\n';
        return n;
    }

    private static int DigitCount(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
