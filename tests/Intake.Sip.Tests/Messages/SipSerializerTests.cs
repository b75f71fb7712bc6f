using System.Buffers;
using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipSerializerTests
{
    [Theory]
    [InlineData("rfc4475", "wsinv")]
    [InlineData("rfc4475", "esc01")]
    [InlineData("rfc4475", "escnull")]
    [InlineData("rfc4475", "longreq")]
    [InlineData("rfc4475", "transports")]
    [InlineData("rfc4475", "unksm2")]
    [InlineData("rfc4475", "bcast")]
    [InlineData("rfc5118", "mult-ip-in-header")]
    public void RoundTrip_ParseSerializeParse_KeepsFields(string corpus, string name)
    {
        var first = TestMessages.Parse(corpus, name).Message!;
        first.Headers.Add("X-Touched", "yes");

        var second = SipParser.Parse(first.ToBytes()).Message!;

        Assert.Equal(first.CallId, second.CallId);
        Assert.Equal(first.CSeq, second.CSeq);
        Assert.Equal(first.From!.ToString(), second.From!.ToString());
        Assert.Equal(first.To!.ToString(), second.To!.ToString());
        Assert.Equal(first.Vias.Select(v => v.ToString()), second.Vias.Select(v => v.ToString()));
        Assert.Equal(first.Contacts.Select(c => c.ToString()), second.Contacts.Select(c => c.ToString()));
        Assert.Equal(first.Headers.Count, second.Headers.Count);
        Assert.True(first.Body.Span.SequenceEqual(second.Body.Span));
        Assert.Equal("yes", second.Headers["X-Touched"]);
    }

    [Fact]
    public void ToBytes_EditedMessage_RewritesOnlyEditedLines()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite("Subject:   spaced   "));
        request.Headers.ReplaceFirst(HeaderId.Via, request.TopVia!.WithReceived("192.0.2.9", null).ToString());

        var text = Encoding.UTF8.GetString(request.ToBytes());

        Assert.Contains("\r\nVia: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.9\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nSubject:   spaced   \r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ToBytes_ChangedBody_RecomputesContentLength()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite(body: "old"));
        request.Body = "v=0\r\nnew body\r\n"u8.ToArray();

        var again = TestMessages.ParseRequest(request.ToBytes());

        Assert.Equal("15", again.Headers.Get(HeaderId.ContentLength));
        Assert.Equal("v=0\r\nnew body\r\n", Encoding.UTF8.GetString(again.Body.Span));
    }

    [Fact]
    public void ToBytes_BuiltRequest_WritesStartLineAndContentLength()
    {
        var request = new SipRequest(SipMethods.Options, SipUri.Parse("sip:intake.example;transport=tcp"));
        request.Headers.Add("Via", new SipVia(SipTransportProtocol.Tcp, "192.0.2.1", 5060, "z9hG4bKq").ToString());
        request.Headers.Add("Max-Forwards", "70");
        request.Headers.Add("From", "<sip:probe@intake.example>;tag=p");
        request.Headers.Add("To", "<sip:intake.example>");
        request.Headers.Add("Call-ID", "probe-1");
        request.Headers.Add("CSeq", "1 OPTIONS");

        var text = Encoding.UTF8.GetString(request.ToBytes());

        Assert.StartsWith("OPTIONS sip:intake.example;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKq\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", text, StringComparison.Ordinal);
        Assert.True(SipParser.Parse(Encoding.UTF8.GetBytes(text)).Success);
    }

    [Fact]
    public void ToBytes_ChangedRequestUri_RebuildsStartLine()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite());
        request.RequestUri = SipUri.Parse("sip:op7@10.0.0.7:5070");

        Assert.StartsWith("INVITE sip:op7@10.0.0.7:5070 SIP/2.0\r\n", Encoding.UTF8.GetString(request.ToBytes()), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_BufferWriter_MatchesToBytes()
    {
        var response = SipResponse.CreateFor(TestMessages.ParseRequest(TestMessages.Invite()), 180, toTag: "as83");
        var writer = new ArrayBufferWriter<byte>();

        response.WriteTo(writer);

        Assert.Equal(response.ToBytes(), writer.WrittenSpan.ToArray());
        Assert.Equal(SipSerializer.GetByteCount(response), writer.WrittenCount);
    }

    [Fact]
    public void ToBytes_Utf8ValuesAndReason_AreEncoded()
    {
        var response = new SipResponse(603, "Déclin");
        response.Headers.Add("Subject", "Привет");

        var text = Encoding.UTF8.GetString(response.ToBytes());

        Assert.StartsWith("SIP/2.0 603 Déclin\r\nSubject: Привет\r\n", text, StringComparison.Ordinal);
    }
}
