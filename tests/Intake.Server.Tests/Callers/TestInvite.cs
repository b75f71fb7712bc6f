using System.Text;
using Intake.Sip.Messages;

namespace Intake.Server.Tests.Callers;

/// <summary>Builds INVITEs off the wire (through <see cref="SipParser"/>) so the readers see what the server sees.</summary>
internal static class TestInvite
{
    public const string Boundary = "boundary-7b3f";

    private static readonly SipParserLimits LargeLimits = new() { MaxMessageBytes = 256 * 1024, MaxBodyBytes = 200 * 1024 };

    public const string Sdp =
        "v=0\r\no=trunk 2890844526 2890844526 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n";

    /// <summary>An INVITE to 19 with the given extra header lines and body.</summary>
    public static SipRequest Create(IEnumerable<string> headers, string contentType = "application/sdp", string body = Sdp, string from = "\"Amina B\" <sip:+212600000001@127.0.0.1>;tag=a1")
    {
        var text = new StringBuilder()
            .Append("INVITE sip:19@127.0.0.1:5060 SIP/2.0\r\n")
            .Append("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-loc-1\r\n")
            .Append("From: ").Append(from).Append("\r\n")
            .Append("To: <sip:19@127.0.0.1>\r\n")
            .Append("Call-ID: loc-test-1@127.0.0.1\r\n")
            .Append("CSeq: 1 INVITE\r\n")
            .Append("Contact: <sip:trunk@127.0.0.1:5070>\r\n")
            .Append("Max-Forwards: 70\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        text.Append("Content-Type: ").Append(contentType).Append("\r\n")
            .Append("Content-Length: ").Append(bytes.Length).Append("\r\n\r\n")
            .Append(body);
        var result = SipParser.Parse(Encoding.UTF8.GetBytes(text.ToString()), LargeLimits);
        Assert.True(result.Success, result.Error);
        return Assert.IsType<SipRequest>(result.Message);
    }

    /// <summary>An INVITE whose multipart/mixed body holds the SDP and a PIDF-LO part (RFC 6442 location by value).</summary>
    public static SipRequest WithPidfLo(string pidfLo, string contentId = "caller-loc@127.0.0.1", IEnumerable<string>? headers = null) =>
        Create(
            headers ?? [$"Geolocation: <cid:{contentId}>", "Geolocation-Routing: no"],
            $"multipart/mixed;boundary={Boundary}",
            Multipart(("application/sdp", null, Sdp), ("application/pidf+xml", contentId, pidfLo)));

    public static string Multipart(params (string Type, string? ContentId, string Body)[] parts)
    {
        var text = new StringBuilder();
        foreach (var (type, id, body) in parts)
        {
            text.Append("--").Append(Boundary).Append("\r\n").Append("Content-Type: ").Append(type).Append("\r\n");
            if (id is not null)
            {
                text.Append("Content-ID: <").Append(id).Append(">\r\n");
            }

            text.Append("\r\n").Append(body).Append("\r\n");
        }

        return text.Append("--").Append(Boundary).Append("--\r\n").ToString();
    }
}
