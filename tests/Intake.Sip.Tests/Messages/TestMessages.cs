using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

/// <summary>Loads the wire-exact corpus files and builds small messages for tests.</summary>
internal static class TestMessages
{
    public static byte[] Load(string corpus, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", corpus, name + ".dat"));

    public static SipParseResult Parse(string corpus, string name) => SipParser.Parse(Load(corpus, name));

    /// <summary>Lines joined with CRLF; the last entry should be the body (often empty).</summary>
    public static byte[] Crlf(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines));

    public static SipRequest ParseRequest(byte[] data)
    {
        var result = SipParser.Parse(data);
        Assert.True(result.Success, result.Error);
        return Assert.IsType<SipRequest>(result.Message);
    }

    public static SipResponse ParseResponse(byte[] data)
    {
        var result = SipParser.Parse(data);
        Assert.True(result.Success, result.Error);
        return Assert.IsType<SipResponse>(result.Message);
    }

    public static byte[] Invite(string extraHeader = "", string body = "") => Crlf(
        "INVITE sip:bob@biloxi.example.com SIP/2.0",
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds",
        "Max-Forwards: 70",
        "To: Bob <sip:bob@biloxi.example.com>",
        "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774",
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com",
        "CSeq: 314159 INVITE",
        "Contact: <sip:alice@pc33.atlanta.example.com>",
        extraHeader.Length > 0 ? extraHeader + "\r\nContent-Type: application/sdp" : "Content-Type: application/sdp",
        "Content-Length: " + Encoding.UTF8.GetByteCount(body),
        string.Empty,
        body);
}
