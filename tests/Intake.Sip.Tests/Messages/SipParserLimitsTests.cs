using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipParserLimitsTests
{
    [Fact]
    public void Parse_MessageOverMaxMessageBytes_Returns513()
    {
        var data = TestMessages.Invite(body: new string('x', 70_000));

        var result = SipParser.Parse(data);

        Assert.Equal(513, result.StatusCode);
        Assert.Equal("Message Too Large", result.Error);
    }

    [Fact]
    public void Parse_BodyOverMaxBodyBytes_Returns413()
    {
        var data = TestMessages.Invite(body: new string('x', 40_000));

        var result = SipParser.Parse(data);

        Assert.Equal(413, result.StatusCode);
    }

    [Fact]
    public void Parse_DeclaredContentLengthOverMaxBodyBytes_Returns413()
    {
        var limits = SipParserLimits.Default with { MaxBodyBytes = 10 };
        var text = Encoding.ASCII.GetString(TestMessages.Invite(body: "0123456789")).Replace("Content-Length: 10", "Content-Length: 11", StringComparison.Ordinal);

        var result = SipParser.Parse(Encoding.ASCII.GetBytes(text + "A"), limits);

        Assert.Equal(413, result.StatusCode);
    }

    [Fact]
    public void Parse_SixtyKilobyteHeaderLine_Returns400NamingTheHeader()
    {
        var data = TestMessages.Invite("Subject: " + new string('s', 60_000));

        var result = SipParser.Parse(data);

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Bad Request - Header line too long (Subject)", result.Error);
    }

    [Fact]
    public void Parse_LongFoldedHeader_CountsContinuationTowardsLineLimit()
    {
        var limits = SipParserLimits.Default with { MaxLineBytes = 100 };
        var data = TestMessages.Invite("Subject: " + new string('a', 60) + "\r\n " + new string('b', 60));

        var result = SipParser.Parse(data, limits);

        Assert.Equal("Bad Request - Header line too long (Subject)", result.Error);
    }

    [Fact]
    public void Parse_FiveThousandHeaders_Returns400NamingTheLimit()
    {
        var extra = string.Join("\r\n", Enumerable.Range(0, 5000).Select(i => "X-H" + i + ": v"));
        var limits = SipParserLimits.Default with { MaxMessageBytes = 200_000 };

        var result = SipParser.Parse(TestMessages.Invite(extra), limits);

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Bad Request - Too many headers (limit 256)", result.Error);
    }

    [Fact]
    public void Parse_HeaderCountAtLimit_IsAccepted()
    {
        var limits = SipParserLimits.Default with { MaxHeaderCount = 20 };
        // The base INVITE carries 9 headers, so 11 more reach the limit exactly.
        var extra = string.Join("\r\n", Enumerable.Range(0, 11).Select(i => "X-H" + i + ": v"));

        Assert.True(SipParser.Parse(TestMessages.Invite(extra), limits).Success);
        Assert.False(SipParser.Parse(TestMessages.Invite(extra + "\r\nX-Last: v"), limits).Success);
    }

    [Fact]
    public void Parse_RequestUriOverMaxUriBytes_Returns414WithPartialRequest()
    {
        var longUri = "sip:" + new string('u', 5000) + "@example.com";
        var text = Encoding.ASCII.GetString(TestMessages.Invite()).Replace("sip:bob@biloxi.example.com SIP", longUri + " SIP", StringComparison.Ordinal);

        var result = SipParser.Parse(Encoding.ASCII.GetBytes(text));

        Assert.Equal(414, result.StatusCode);
        Assert.NotNull(result.PartialRequest);
        Assert.Equal("a84b4c76e66710@pc33.atlanta.example.com", result.PartialRequest.CallId);
    }

    [Fact]
    public void Parse_HugeBodyWithinRaisedLimits_IsAccepted()
    {
        var limits = new SipParserLimits { MaxMessageBytes = 1_100_000, MaxBodyBytes = 1_000_000 };
        var body = new string('b', 1_000_000);

        var result = SipParser.Parse(TestMessages.Invite(body: body), limits);

        Assert.True(result.Success, result.Error);
        Assert.Equal(1_000_000, result.Message!.Body.Length);
    }
}
