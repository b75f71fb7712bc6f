using System.Buffers;
using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Transport;

/// <summary>
/// Cuts SIP messages out of a byte stream (RFC 3261 §18.3) and recognises RFC 5626 §3.5.1 CRLF keep-alives.
/// </summary>
/// <remarks>
/// A message on a stream MUST carry Content-Length (RFC 3261 §18.3, §20.14). A missing value is treated as
/// <see cref="SipFramingStatus.Invalid"/> rather than as an empty body: if the sender did attach a body we would read it
/// as the next start line and lose synchronisation silently, so closing the connection is the only safe answer.
/// Several Content-Length headers that disagree are rejected for the same reason.
/// Limits are applied to what is already buffered, so a connection can never make the caller hold more than
/// about <see cref="SipParserLimits.MaxMessageBytes"/> bytes.
/// </remarks>
public static class SipStreamFramer
{
    private const int PingLength = 4;
    private const int MaxContentLengthDigits = 10;

    /// <summary>
    /// Takes one message (or one CRLFCRLF ping) off the front of <paramref name="buffer"/>.
    /// On <see cref="SipFramingStatus.Complete"/> the buffer is advanced past it; otherwise the buffer is left untouched.
    /// A single CRLF preceding a start line is skipped (RFC 3261 §7.5) and not part of <paramref name="message"/>.
    /// </summary>
    public static SipFramingStatus TryReadMessage(
        ref ReadOnlySequence<byte> buffer,
        SipParserLimits limits,
        out ReadOnlySequence<byte> message,
        out bool isPing,
        out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        message = default;
        SipFramingStatus status;
        int start;
        int length;
        if (buffer.IsSingleSegment)
        {
            status = Frame(buffer.FirstSpan, buffer.Length, limits, out start, out length, out isPing, out error);
        }
        else
        {
            // Everything that has to be inspected lies within the first MaxMessageBytes (+ a skipped CRLF), so one
            // bounded copy lets the span code below serve fragmented input as well.
            var windowLength = (int)Math.Min(buffer.Length, (long)limits.MaxMessageBytes + PingLength);
            var rented = ArrayPool<byte>.Shared.Rent(windowLength);
            try
            {
                buffer.Slice(0, windowLength).CopyTo(rented);
                status = Frame(rented.AsSpan(0, windowLength), buffer.Length, limits, out start, out length, out isPing, out error);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        if (status == SipFramingStatus.Complete)
        {
            message = buffer.Slice(start, length);
            buffer = buffer.Slice(message.End);
        }

        return status;
    }

    // window: the first bytes of the buffer (all of it, or at least MaxMessageBytes + 4); available: the whole buffered length.
    private static SipFramingStatus Frame(
        ReadOnlySpan<byte> window, long available, SipParserLimits limits, out int start, out int length, out bool isPing, out string? error)
    {
        start = 0;
        length = 0;
        isPing = false;
        var lead = ClassifyLeadingCrlf(window, out var skip, out error);
        switch (lead)
        {
            case LeadingCrlf.NeedMoreData:
                return SipFramingStatus.NeedMoreData;
            case LeadingCrlf.Invalid:
                return SipFramingStatus.Invalid;
            case LeadingCrlf.Ping:
                length = PingLength;
                isPing = true;
                return SipFramingStatus.Complete;
        }

        var rest = window[skip..];
        var restAvailable = available - skip;
        var headerEnd = rest[..Math.Min(rest.Length, limits.MaxMessageBytes)].IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return CheckIncompleteHeader(rest, restAvailable, limits, out error);
        }

        if (!TryReadContentLength(rest[..(headerEnd + 2)], out var contentLength, out error))
        {
            return SipFramingStatus.Invalid;
        }

        if (contentLength > limits.MaxBodyBytes)
        {
            error = $"Content-Length {contentLength} exceeds the body limit of {limits.MaxBodyBytes} bytes";
            return SipFramingStatus.Invalid;
        }

        var total = headerEnd + PingLength + contentLength;
        if (total > limits.MaxMessageBytes)
        {
            error = $"Message of {total} bytes exceeds the limit of {limits.MaxMessageBytes} bytes";
            return SipFramingStatus.Invalid;
        }

        if (restAvailable < total)
        {
            return SipFramingStatus.NeedMoreData;
        }

        start = skip;
        length = (int)total;
        return SipFramingStatus.Complete;
    }

    private enum LeadingCrlf
    {
        None,
        SkipOne,
        Ping,
        NeedMoreData,
        Invalid,
    }

    private static LeadingCrlf ClassifyLeadingCrlf(ReadOnlySpan<byte> head, out int skip, out string? error)
    {
        skip = 0;
        error = null;
        if (head.IsEmpty)
        {
            return LeadingCrlf.NeedMoreData;
        }

        if (head[0] != (byte)'\r')
        {
            return LeadingCrlf.None;
        }

        // Until four bytes are here we cannot tell a ping from a CRLF that precedes a start line.
        for (var i = 1; i < PingLength; i++)
        {
            if (i >= head.Length)
            {
                return LeadingCrlf.NeedMoreData;
            }

            var expected = (i % 2 == 1) ? (byte)'\n' : (byte)'\r';
            if (head[i] == expected)
            {
                continue;
            }

            if (i == 2)
            {
                skip = 2;
                return LeadingCrlf.SkipOne;
            }

            error = "Stray CR between messages";
            return LeadingCrlf.Invalid;
        }

        return LeadingCrlf.Ping;
    }

    private static SipFramingStatus CheckIncompleteHeader(ReadOnlySpan<byte> rest, long restAvailable, SipParserLimits limits, out string? error)
    {
        error = null;
        if (restAvailable >= limits.MaxMessageBytes)
        {
            error = $"Header section exceeds {limits.MaxMessageBytes} bytes";
            return SipFramingStatus.Invalid;
        }

        // Reject garbage as soon as the first line is visible instead of buffering up to the message limit.
        var lineEnd = rest[..Math.Min(rest.Length, limits.MaxLineBytes)].IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            if (rest.Length >= limits.MaxLineBytes)
            {
                error = $"Start line exceeds {limits.MaxLineBytes} bytes";
                return SipFramingStatus.Invalid;
            }

            return SipFramingStatus.NeedMoreData;
        }

        return IsPlausibleStartLine(rest[..lineEnd]) ? SipFramingStatus.NeedMoreData : InvalidStartLine(out error);
    }

    private static SipFramingStatus InvalidStartLine(out string? error)
    {
        error = "Not a SIP start line";
        return SipFramingStatus.Invalid;
    }

    // headerSection holds the start line and every header line, each terminated by CRLF.
    private static bool TryReadContentLength(ReadOnlySpan<byte> headerSection, out long contentLength, out string? error)
    {
        contentLength = -1;
        error = null;
        var firstLineEnd = headerSection.IndexOf("\r\n"u8);
        if (!IsPlausibleStartLine(headerSection[..firstLineEnd]))
        {
            error = "Not a SIP start line";
            return false;
        }

        var value = default(ContentLengthValue);
        var inContentLength = false;
        var remaining = headerSection[(firstLineEnd + 2)..];
        while (!remaining.IsEmpty)
        {
            var lineEnd = remaining.IndexOf("\r\n"u8);
            var line = remaining[..lineEnd];
            remaining = remaining[(lineEnd + 2)..];
            if (line.Length > 0 && (line[0] == (byte)' ' || line[0] == (byte)'\t'))
            {
                // Folded continuation (RFC 3261 §7.3.1) of the previous header line.
                if (inContentLength)
                {
                    value.Feed(line);
                }

                continue;
            }

            if (inContentLength && !value.TryFinish(ref contentLength, out error))
            {
                return false;
            }

            inContentLength = false;

            // Only "Content-Length" and its compact form "l" matter here; skip every other name on its first byte.
            if (line.IsEmpty || (line[0] | 0x20) is not ((byte)'c' or (byte)'l'))
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || Ascii.EqualsIgnoreCase(name, "l"u8))
            {
                inContentLength = true;
                value = default;
                value.Feed(line[(colon + 1)..]);
            }
        }

        if (inContentLength && !value.TryFinish(ref contentLength, out error))
        {
            return false;
        }

        if (contentLength < 0)
        {
            error = "Content-Length is required on stream transports";
            return false;
        }

        return true;
    }

    private static bool IsPlausibleStartLine(ReadOnlySpan<byte> line)
    {
        // Status-Line: "SIP/2.0 200 OK"; Request-Line: "INVITE sip:x SIP/2.0". The version is case-insensitive (§7.1).
        if (line.Length >= 8 && Ascii.EqualsIgnoreCase(line[..8], "SIP/2.0 "u8))
        {
            return true;
        }

        if (line.Length < 10 || !Ascii.EqualsIgnoreCase(line[^8..], " SIP/2.0"u8))
        {
            return false;
        }

        var methodEnd = line.IndexOf((byte)' ');
        if (methodEnd <= 0)
        {
            return false;
        }

        foreach (var b in line[..methodEnd])
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTokenChar(byte b) =>
        (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z') || (b >= (byte)'0' && b <= (byte)'9')
        || b is (byte)'-' or (byte)'.' or (byte)'!' or (byte)'%' or (byte)'*' or (byte)'_' or (byte)'+' or (byte)'`' or (byte)'\'' or (byte)'~';

    /// <summary>Accumulates "SWS 1*DIGIT SWS" across a header line and its folded continuations.</summary>
    private struct ContentLengthValue
    {
        private long _value;
        private int _digits;
        private bool _digitsEnded;
        private bool _malformed;

        public void Feed(ReadOnlySpan<byte> text)
        {
            foreach (var b in text)
            {
                if (b is (byte)' ' or (byte)'\t')
                {
                    _digitsEnded |= _digits > 0;
                    continue;
                }

                if (b < (byte)'0' || b > (byte)'9' || _digitsEnded || _digits >= MaxContentLengthDigits)
                {
                    _malformed = true;
                    continue;
                }

                _value = (_value * 10) + (b - (byte)'0');
                _digits++;
            }
        }

        public readonly bool TryFinish(ref long contentLength, out string? error)
        {
            error = null;
            if (_malformed || _digits == 0)
            {
                error = "Content-Length is not a valid number";
                return false;
            }

            if (contentLength >= 0 && contentLength != _value)
            {
                error = "Conflicting Content-Length headers";
                return false;
            }

            contentLength = _value;
            return true;
        }
    }
}
