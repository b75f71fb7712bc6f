using System.Buffers;
using System.Text;

namespace Intake.Sip.Messages;

/// <summary>What the start line yielded; a non-zero StatusCode is a fault that still lets the headers be read.</summary>
internal struct StartLine
{
    public string? Method;
    public int UriStart;
    public int UriLength;
    public int ResponseCode;
    public string? Reason;
    public int StatusCode;
    public string? Error;

    public readonly SipParseResult Fail(bool isRequest) => SipParseResult.Fail(StatusCode, Error!, isRequest);

    public void SetFault(int statusCode, string error)
    {
        StatusCode = statusCode;
        Error = error;
        UriLength = 0;
    }
}

/// <summary>Request-Line and Status-Line (RFC 3261 §7.1, §7.2): exactly one SP between elements.</summary>
internal static class SipStartLine
{
    private const int StackUriChars = 1024;

    /// <summary>
    /// Returns false when the line is unusable (no method known); true otherwise, possibly with a recorded fault
    /// (400/414/416/505) so that the headers can still be read for the error response.
    /// </summary>
    public static bool TryParseRequestLine(ReadOnlySpan<byte> line, SipParserLimits limits, ref StartLine result)
    {
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0 || !IsToken(line[..sp1]))
        {
            result.SetFault(400, "Bad Request - Malformed Request-Line");
            return false;
        }

        var methodBytes = line[..sp1];
        result.Method = SipMethods.Intern(methodBytes) ?? Encoding.ASCII.GetString(methodBytes);
        var rest = line[(sp1 + 1)..];
        var sp2 = rest.IndexOf((byte)' ');
        var uri = sp2 < 0 ? rest : rest[..sp2];

        // The URI length is judged before anything else looks at it.
        if (uri.Length > limits.MaxUriBytes)
        {
            result.SetFault(414, "Request-URI Too Long");
            return true;
        }

        if (line.Length > limits.MaxLineBytes)
        {
            result.SetFault(400, "Bad Request - Request-Line too long");
            return true;
        }

        if (sp2 <= 0)
        {
            result.SetFault(400, "Bad Request - Malformed Request-Line");
            return true;
        }

        var version = rest[(sp2 + 1)..];
        var versionStatus = CheckVersion(version);
        if (versionStatus != 0)
        {
            result.SetFault(versionStatus, versionStatus == 505 ? "Version Not Supported" : "Bad Request - Malformed Request-Line");
            return true;
        }

        result.UriStart = sp1 + 1;
        result.UriLength = uri.Length;
        CheckRequestUri(uri, ref result);
        return true;
    }

    public static bool TryParseStatusLine(ReadOnlySpan<byte> line, ref StartLine result)
    {
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 < 0)
        {
            result.SetFault(400, "Bad Request - Malformed Status-Line");
            return false;
        }

        var versionStatus = CheckVersion(line[..sp1]);
        if (versionStatus != 0)
        {
            result.SetFault(versionStatus, versionStatus == 505 ? "Version Not Supported" : "Bad Request - Malformed Status-Line");
            return false;
        }

        var code = line[(sp1 + 1)..];
        if (code.Length < 3 || !SipSyntax.IsDigit(code[0]) || !SipSyntax.IsDigit(code[1]) || !SipSyntax.IsDigit(code[2])
            || (code.Length > 3 && code[3] != ' '))
        {
            result.SetFault(400, "Bad Request - Invalid status code");
            return false;
        }

        var value = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
        if (value is < 100 or > 699)
        {
            result.SetFault(400, "Bad Request - Invalid status code");
            return false;
        }

        var reason = code.Length > 4 ? code[4..] : [];
        foreach (var b in reason)
        {
            if (b < 0x20 && b != '\t' || b == 0x7f)
            {
                result.SetFault(400, "Bad Request - Invalid Reason-Phrase");
                return false;
            }
        }

        result.ResponseCode = value;
        var defaultReason = SipStatus.DefaultReason(value);
        result.Reason = Ascii.Equals(reason, defaultReason) ? defaultReason : Encoding.UTF8.GetString(reason);
        return true;
    }

    /// <summary>0 for SIP/2.0, 505 for another well-formed version, 400 for garbage.</summary>
    private static int CheckVersion(ReadOnlySpan<byte> version)
    {
        if (version.Length == 7 && Ascii.EqualsIgnoreCase(version, "SIP/2.0"u8)) return 0;
        if (version.Length < 7 || !Ascii.EqualsIgnoreCase(version[..4], "SIP/"u8)) return 400;
        var v = version[4..];
        var dot = v.IndexOf((byte)'.');
        if (dot <= 0 || dot == v.Length - 1) return 400;
        foreach (var b in v[..dot])
        {
            if (!SipSyntax.IsDigit(b)) return 400;
        }

        foreach (var b in v[(dot + 1)..])
        {
            if (!SipSyntax.IsDigit(b)) return 400;
        }

        return 505;
    }

    private static void CheckRequestUri(ReadOnlySpan<byte> uri, ref StartLine result)
    {
        foreach (var b in uri)
        {
            if (b <= 0x20 || b >= 0x7f)
            {
                result.SetFault(400, "Bad Request - Invalid Request-URI");
                return;
            }
        }

        char[]? rented = null;
        var chars = uri.Length <= StackUriChars ? stackalloc char[uri.Length] : (rented = ArrayPool<char>.Shared.Rent(uri.Length)).AsSpan(0, uri.Length);
        try
        {
            Ascii.ToUtf16(uri, chars, out _);
            switch (UriScanner.Scan(chars, allowOtherSchemes: false, out var parts))
            {
                case UriScanResult.UnsupportedScheme:
                    result.SetFault(416, "Unsupported URI Scheme");
                    break;
                case UriScanResult.Invalid:
                    result.SetFault(400, "Bad Request - Invalid Request-URI");
                    break;
                default:
                    // RFC 3261 §19.1.1: header components are not allowed in a Request-URI.
                    if (parts.HeadersStart >= 0) result.SetFault(400, "Bad Request - Headers not allowed in Request-URI");
                    break;
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static bool IsToken(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            if (!SipSyntax.IsTokenChar(b)) return false;
        }

        return true;
    }
}
