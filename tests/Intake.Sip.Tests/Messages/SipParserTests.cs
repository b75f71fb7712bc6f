using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipParserTests
{
    [Fact]
    public void Parse_BenchInvite_ReadsStartLineHeadersAndBody()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite(body: "v=0\r\n"));

        Assert.Equal(SipMethods.Invite, request.Method);
        Assert.Equal("sip:bob@biloxi.example.com", request.RequestUri.ToString());
        Assert.Equal("Bob", request.To!.DisplayName);
        Assert.Equal("1928301774", request.From!.Tag);
        Assert.Equal(new SipCSeq(314159, "INVITE"), request.CSeq);
        Assert.Equal("z9hG4bK776asdhds", request.TopVia!.Branch);
        Assert.Equal("v=0\r\n", Encoding.UTF8.GetString(request.Body.Span));
    }

    [Fact]
    public void Parse_CompactHeaderNames_MapToTheSameHeaderIds()
    {
        var request = TestMessages.ParseRequest(TestMessages.Crlf(
            "MESSAGE sip:a@example.com SIP/2.0",
            "v: SIP/2.0/TCP h.example.com;branch=z9hG4bK1",
            "f: <sip:b@example.com>;tag=1",
            "t: <sip:a@example.com>",
            "i: compact@h",
            "CSeq: 1 MESSAGE",
            "m: <sip:b@h.example.com>",
            "c: text/plain",
            "e: gzip",
            "k: timer",
            "s: hello",
            "o: presence",
            "r: <sip:c@example.com>",
            "u: presence",
            "l: 2",
            string.Empty,
            "hi"));

        Assert.Equal("compact@h", request.CallId);
        Assert.Equal("text/plain", request.ContentType);
        Assert.Equal("gzip", request.Headers.Get(HeaderId.ContentEncoding));
        Assert.Equal("timer", request.Headers["Supported"]);
        Assert.Equal("hello", request.Headers.Get(HeaderId.Subject));
        Assert.Equal("presence", request.Headers.Get(HeaderId.Event));
        Assert.Equal("<sip:c@example.com>", request.Headers.Get(HeaderId.ReferTo));
        Assert.Equal("presence", request.Headers["Allow-Events"]);
        Assert.Single(request.Contacts);
        Assert.Equal(2, request.Body.Length);
    }

    [Fact]
    public void Parse_LineFeedOnlyMessage_IsAccepted()
    {
        var data = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(TestMessages.Invite()).Replace("\r\n", "\n", StringComparison.Ordinal));

        var request = TestMessages.ParseRequest(data);

        Assert.Equal("a84b4c76e66710@pc33.atlanta.example.com", request.CallId);
    }

    [Fact]
    public void Parse_LeadingCrlfKeepAlives_AreSkipped()
    {
        var data = Encoding.ASCII.GetBytes("\r\n\r\n").Concat(TestMessages.Invite()).ToArray();

        Assert.True(SipParser.Parse(data).Success);
    }

    [Fact]
    public void Parse_MissingContentLength_TakesRestOfDatagramAsBody()
    {
        var text = Encoding.ASCII.GetString(TestMessages.Invite(body: "abc")).Replace("Content-Length: 3\r\n", string.Empty, StringComparison.Ordinal);

        var request = TestMessages.ParseRequest(Encoding.ASCII.GetBytes(text));

        Assert.Equal(3, request.Body.Length);
    }

    [Fact]
    public void Parse_ExtraBytesAfterBody_AreDiscarded()
    {
        var data = TestMessages.Invite(body: "abc").Concat("garbage"u8.ToArray()).ToArray();

        Assert.Equal("abc", Encoding.ASCII.GetString(TestMessages.ParseRequest(data).Body.Span));
    }

    [Theory]
    [InlineData("To", "Bad Request - Missing To")]
    [InlineData("From", "Bad Request - Missing From")]
    [InlineData("Call-ID", "Bad Request - Missing Call-ID")]
    [InlineData("CSeq", "Bad Request - Missing CSeq")]
    [InlineData("Via", "Bad Request - Missing Via")]
    public void Parse_MissingMandatoryHeader_Returns400NamingIt(string header, string error)
    {
        var lines = Encoding.ASCII.GetString(TestMessages.Invite()).Split("\r\n").Where(l => !l.StartsWith(header + ":", StringComparison.Ordinal));

        var result = SipParser.Parse(Encoding.ASCII.GetBytes(string.Join("\r\n", lines)));

        Assert.Equal(400, result.StatusCode);
        Assert.Equal(error, result.Error);
    }

    [Fact]
    public void Parse_MissingMaxForwards_IsAccepted()
    {
        var lines = Encoding.ASCII.GetString(TestMessages.Invite()).Split("\r\n").Where(l => !l.StartsWith("Max-Forwards", StringComparison.Ordinal));

        var request = TestMessages.ParseRequest(Encoding.ASCII.GetBytes(string.Join("\r\n", lines)));

        Assert.Null(request.MaxForwards);
    }

    [Theory]
    [InlineData("CSeq: 314159 INVITE", "CSeq: abc INVITE", "Bad Request - Invalid CSeq")]
    [InlineData("CSeq: 314159 INVITE", "CSeq: 2147483648 INVITE", "Bad Request - Invalid CSeq")]
    [InlineData("Max-Forwards: 70", "Max-Forwards: 256", "Bad Request - Invalid Max-Forwards")]
    [InlineData("Call-ID: a84b4c76e66710@pc33.atlanta.example.com", "Call-ID: a b", "Bad Request - Invalid Call-ID")]
    [InlineData("Content-Length: 0", "Content-Length: 0x10", "Bad Request - Invalid Content-Length")]
    [InlineData("Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds", "Via: SIP/2.0 pc33", "Bad Request - Invalid Via")]
    [InlineData("Contact: <sip:alice@pc33.atlanta.example.com>", "Contact: <sip:alice@pc33", "Bad Request - Invalid Contact")]
    public void Parse_MalformedScalarHeader_Returns400NamingIt(string original, string replacement, string error)
    {
        var text = Encoding.ASCII.GetString(TestMessages.Invite());
        Assert.Contains(original, text, StringComparison.Ordinal);
        text = text.Replace(original, replacement, StringComparison.Ordinal);

        var result = SipParser.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(400, result.StatusCode);
        Assert.Equal(error, result.Error);
    }

    [Theory]
    [InlineData("INVITE sip:bob@example.com SIP/3.0", 505)]
    [InlineData("INVITE mailto:bob@example.com SIP/2.0", 416)]
    [InlineData("INVITE http://example.com/ SIP/2.0", 416)]
    [InlineData("INVITE bob@example.com SIP/2.0", 400)]
    [InlineData("INVITE sip:bob@example.com HTTP/1.1", 400)]
    [InlineData("INV(TE sip:bob@example.com SIP/2.0", 400)]
    public void Parse_BadRequestLine_ReturnsMatchingStatus(string requestLine, int status)
    {
        var text = Encoding.ASCII.GetString(TestMessages.Invite()).Replace("INVITE sip:bob@biloxi.example.com SIP/2.0", requestLine, StringComparison.Ordinal);

        var result = SipParser.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(status, result.StatusCode);
        Assert.True(result.IsRequest);
    }

    [Fact]
    public void Parse_TelRequestUri_IsAccepted()
    {
        var text = Encoding.ASCII.GetString(TestMessages.Invite()).Replace("INVITE sip:bob@biloxi.example.com", "INVITE tel:+44-20-7123-4567;phone-context=example.com", StringComparison.Ordinal);

        var request = TestMessages.ParseRequest(Encoding.ASCII.GetBytes(text));

        Assert.Equal("tel", request.RequestUri.Scheme);
        Assert.Equal("+44-20-7123-4567", request.RequestUri.User);
        Assert.Equal("example.com", request.RequestUri.GetParameter("phone-context"));
    }

    [Fact]
    public void Parse_MultiValueHeaders_SplitOnCommasOutsideQuotesAndBrackets()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite(
            "Contact: \"Smith, John\" <sip:a@h1.example.com;x=a>, <sip:b@h2.example.com>;q=0.5\r\nRoute: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>"));

        Assert.Equal(3, request.Contacts.Count);
        Assert.Equal("Smith, John", request.Contacts[1].DisplayName);
        Assert.Equal("0.5", request.Contacts[2].GetParameter("q"));
        Assert.Equal(["p1.example.com", "p2.example.com"], request.Routes.Select(r => r.Uri.Host));
    }

    [Fact]
    public void Parse_Response_ReadsStatusLine()
    {
        var response = TestMessages.ParseResponse(TestMessages.Crlf(
            "SIP/2.0 486 Busy Here",
            "Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1;received=192.0.2.1;rport=5062",
            "From: <sip:a@example.com>;tag=1",
            "To: <sip:b@example.com>;tag=2",
            "Call-ID: x@h",
            "CSeq: 7 INVITE",
            "Content-Length: 0",
            string.Empty,
            string.Empty));

        Assert.Equal(486, response.StatusCode);
        Assert.Equal("Busy Here", response.ReasonPhrase);
        Assert.Equal(5062, response.TopVia!.Rport);
        Assert.Equal("192.0.2.1", response.TopVia.Received);
    }

    [Fact]
    public void Parse_ContinuationBeforeFirstHeader_Returns400()
    {
        var result = SipParser.Parse(TestMessages.Crlf("OPTIONS sip:a@example.com SIP/2.0", " folded", string.Empty, string.Empty));

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Bad Request - Continuation line before any header", result.Error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("INVITE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h")]
    [InlineData("SIP/2.0\r\n\r\n")]
    [InlineData("SIP/2.0 20 OK\r\n\r\n")]
    public void Parse_TruncatedInput_FailsWith400(string text)
    {
        var result = SipParser.Parse(Encoding.ASCII.GetBytes(text));

        Assert.False(result.Success);
        Assert.Equal(400, result.StatusCode);
    }
}
