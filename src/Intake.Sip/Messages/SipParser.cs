using System.Text;

namespace Intake.Sip.Messages;

/// <summary>
/// Parses one whole SIP message (a UDP datagram or a TCP-framed message). The input is copied once into an owned
/// buffer; header values stay slices of it until read. Limits are checked before the work they protect, and
/// faults come back as a failed <see cref="SipParseResult"/> carrying the status to answer with: Parse never throws.
/// </summary>
public static class SipParser
{
    public static SipParseResult Parse(ReadOnlySpan<byte> data, SipParserLimits? limits = null)
    {
        try
        {
            return ParseCore(data, limits ?? SipParserLimits.Default);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or InvalidOperationException or FormatException or OverflowException)
        {
            // Last line of defence for a receive loop; the fuzz tests assert this reason never shows up.
            return SipParseResult.Fail(400, UnexpectedFault, isRequest: false);
        }
    }

    /// <summary>Reason used only if an unforeseen exception escaped the parser.</summary>
    internal const string UnexpectedFault = "Bad Request - Unparseable message";

    private static SipParseResult ParseCore(ReadOnlySpan<byte> data, SipParserLimits limits)
    {
        // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives on streams).
        var start = 0;
        while (start < data.Length && data[start] is (byte)'\r' or (byte)'\n') start++;
        var msg = data[start..];
        var isRequest = !msg.StartsWith("SIP/"u8) && !(msg.Length >= 4 && Ascii.EqualsIgnoreCase(msg[..4], "SIP/"u8));
        if (data.Length > limits.MaxMessageBytes) return SipParseResult.Fail(513, "Message Too Large", isRequest);
        if (msg.IsEmpty) return SipParseResult.Fail(400, "Bad Request - Empty message", isRequest);

        var crlf = msg.IndexOf("\r\n\r\n"u8);
        var lf = msg.IndexOf("\n\n"u8);
        int headerSectionLength, bodyStart;
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            headerSectionLength = crlf + 2;
            bodyStart = crlf + 4;
        }
        else if (lf >= 0)
        {
            headerSectionLength = lf + 1;
            bodyStart = lf + 2;
        }
        else
        {
            return SipParseResult.Fail(400, "Bad Request - Missing end of header section", isRequest);
        }

        var bodyAvailable = msg.Length - bodyStart;
        if (bodyAvailable > limits.MaxBodyBytes) return SipParseResult.Fail(413, "Request Entity Too Large", isRequest);

        var lineCount = msg[..headerSectionLength].Count((byte)'\n');
        var buf = msg.ToArray();
        var firstLf = Array.IndexOf(buf, (byte)'\n');
        var startLineLength = firstLf > 0 && buf[firstLf - 1] == '\r' ? firstLf - 1 : firstLf;
        var startLine = new StartLine();
        if (isRequest)
        {
            if (!SipStartLine.TryParseRequestLine(buf.AsSpan(0, startLineLength), limits, ref startLine)) return startLine.Fail(isRequest);
        }
        else
        {
            if (startLineLength > limits.MaxLineBytes) return SipParseResult.Fail(400, "Bad Request - Status-Line too long", false);
            if (!SipStartLine.TryParseStatusLine(buf.AsSpan(0, startLineLength), ref startLine)) return startLine.Fail(isRequest);
        }

        var headers = new SipHeaders(buf, Math.Min(lineCount, limits.MaxHeaderCount + 1));
        var lexError = LexHeaders(buf, firstLf + 1, headerSectionLength, headers, limits);
        if (lexError is not null) return SipParseResult.Fail(400, lexError, isRequest);

        SipRequest? MakeRequest(ReadOnlyMemory<byte> body) =>
            new(startLine.Method!, headers, body, buf, startLine.UriStart, startLine.UriLength, startLineLength);

        if (startLine.StatusCode != 0)
        {
            return SipParseResult.Fail(startLine.StatusCode, startLine.Error!, isRequest, MakeRequest(ReadOnlyMemory<byte>.Empty));
        }

        var validation = SipMessageValidator.Validate(headers, isRequest ? startLine.Method : null, bodyAvailable, limits, out var contentLength);
        if (validation.StatusCode != 0)
        {
            return SipParseResult.Fail(validation.StatusCode, validation.Error!, isRequest, isRequest ? MakeRequest(ReadOnlyMemory<byte>.Empty) : null);
        }

        var body = new ReadOnlyMemory<byte>(buf, bodyStart, contentLength >= 0 ? contentLength : bodyAvailable);
        SipMessage message = isRequest
            ? MakeRequest(body)!
            : new SipResponse(startLine.ResponseCode, startLine.Reason!, headers, body, buf, startLineLength);
        return SipParseResult.Ok(message);
    }

    /// <summary>Splits the header section into entries; returns an error reason or null.</summary>
    private static string? LexHeaders(byte[] buf, int pos, int end, SipHeaders headers, SipParserLimits limits)
    {
        var count = 0;
        while (pos < end)
        {
            var lfIndex = Array.IndexOf(buf, (byte)'\n', pos, end - pos);
            var contentEnd = lfIndex > pos && buf[lfIndex - 1] == '\r' ? lfIndex - 1 : lfIndex;
            var next = lfIndex + 1;
            if (SipSyntax.IsWsp(buf[pos]))
            {
                // Folded continuation of the previous header line (LWS, RFC 3261 §7.3.1).
                if (count == 0) return "Bad Request - Continuation line before any header";
                ref var last = ref headers.LastEntry;
                last.RawLength = contentEnd - last.RawStart;
                if (last.RawLength > limits.MaxLineBytes) return $"Bad Request - Header line too long ({headers.NameAt(headers.Count - 1)})";
                var valueEnd = TrimEnd(buf, last.RawStart, contentEnd);
                if (last.ValueLength == 0) last.ValueStart = SkipWsp(buf, pos, contentEnd);
                if (valueEnd > last.ValueStart) last.ValueLength = valueEnd - last.ValueStart;
                last.Folded = last.ValueLength > 0 && Array.IndexOf(buf, (byte)'\n', last.ValueStart, last.ValueLength) >= 0;
                pos = next;
                continue;
            }

            var colon = Array.IndexOf(buf, (byte)':', pos, contentEnd - pos);
            var nameEnd = colon < 0 ? contentEnd : TrimEnd(buf, pos, colon);
            if (contentEnd - pos > limits.MaxLineBytes)
            {
                return $"Bad Request - Header line too long ({Encoding.ASCII.GetString(buf, pos, Math.Min(nameEnd - pos, 64))})";
            }

            if (++count > limits.MaxHeaderCount) return $"Bad Request - Too many headers (limit {limits.MaxHeaderCount})";
            if (colon < 0 || nameEnd == pos) return "Bad Request - Malformed header line";
            var name = buf.AsSpan(pos, nameEnd - pos);
            foreach (var b in name)
            {
                if (!SipSyntax.IsTokenChar(b)) return "Bad Request - Invalid header name";
            }

            var valueStart = SkipWsp(buf, colon + 1, contentEnd);
            headers.AddRaw(new HeaderEntry
            {
                Id = HeaderNames.Identify(name),
                RawStart = pos,
                RawLength = contentEnd - pos,
                NameLength = nameEnd - pos,
                ValueStart = valueStart,
                ValueLength = TrimEnd(buf, valueStart, contentEnd) - valueStart,
            });
            pos = next;
        }

        return null;
    }

    private static int SkipWsp(byte[] buf, int i, int end)
    {
        while (i < end && SipSyntax.IsWsp(buf[i])) i++;
        return i;
    }

    private static int TrimEnd(byte[] buf, int start, int end)
    {
        while (end > start && SipSyntax.IsLws(buf[end - 1])) end--;
        return end;
    }
}
