using System.Text;

namespace Intake.Sip.Tests.Transport;

internal static class TransportTestMessages
{
    public const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    public static string Invite(string callId, string body = Sdp, string contentLengthHeader = "Content-Length") =>
        "INVITE sip:112@intake.example SIP/2.0\r\n"
        + $"Via: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-{callId}\r\n"
        + "Max-Forwards: 70\r\n"
        + "To: <sip:112@intake.example>\r\n"
        + "From: <sip:caller@trunk.example>;tag=a1\r\n"
        + $"Call-ID: {callId}\r\n"
        + "CSeq: 1 INVITE\r\n"
        + "Content-Type: application/sdp\r\n"
        + $"{contentLengthHeader}: {Encoding.ASCII.GetByteCount(body)}\r\n"
        + "\r\n"
        + body;

    public static string Options(string callId) =>
        "OPTIONS sip:intake.example SIP/2.0\r\n"
        + $"Via: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-{callId}\r\n"
        + "To: <sip:intake.example>\r\n"
        + "From: <sip:probe@trunk.example>;tag=p1\r\n"
        + $"Call-ID: {callId}\r\n"
        + "CSeq: 7 OPTIONS\r\n"
        + "Content-Length: 0\r\n"
        + "\r\n";

    public static string Ok(string callId) =>
        "SIP/2.0 200 OK\r\n"
        + $"Via: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-{callId}\r\n"
        + "To: <sip:intake.example>;tag=srv\r\n"
        + "From: <sip:probe@trunk.example>;tag=p1\r\n"
        + $"Call-ID: {callId}\r\n"
        + "CSeq: 7 OPTIONS\r\n"
        + "Content-Length: 0\r\n"
        + "\r\n";

    /// <summary>A request whose header block ends with the given Content-Length line(s) (or none) and no body.</summary>
    public static string WithContentLengthLines(params string[] lines) =>
        "BYE sip:op1@127.0.0.1 SIP/2.0\r\n"
        + "Via: SIP/2.0/TCP 127.0.0.1:5062;branch=z9hG4bK-cl\r\n"
        + "To: <sip:op1@intake.example>;tag=x\r\n"
        + "From: <sip:caller@trunk.example>;tag=a1\r\n"
        + "Call-ID: cl-test\r\n"
        + "CSeq: 2 BYE\r\n"
        + string.Concat(lines.Select(l => l + "\r\n"))
        + "\r\n";

    public static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
