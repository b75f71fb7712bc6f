using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipResponseTests
{
    [Fact]
    public void CreateFor_CopiesDialogHeadersPerRfc3261()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite("Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2\r\nTimestamp: 54\r\nRecord-Route: <sip:p.example.com;lr>"));

        var response = SipResponse.CreateFor(request, 486);

        Assert.Equal(486, response.StatusCode);
        Assert.Equal("Busy Here", response.ReasonPhrase);
        Assert.Equal(["pc33.atlanta.example.com", "proxy.example.com"], response.Vias.Select(v => v.Host));
        Assert.Equal(request.From!.ToString(), response.From!.ToString());
        Assert.Equal(request.To!.ToString(), response.To!.ToString());
        Assert.Equal(request.CallId, response.CallId);
        Assert.Equal(request.CSeq, response.CSeq);
        Assert.False(response.Headers.Contains(HeaderId.Timestamp));
        Assert.False(response.Headers.Contains(HeaderId.Contact));
    }

    [Fact]
    public void CreateFor_WithToTag_AddsTagOnlyWhenMissing()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite());

        var tagged = SipResponse.CreateFor(request, 200, toTag: "x1");
        request.Headers.Set("To", "Bob <sip:bob@biloxi.example.com>;tag=existing");
        var kept = SipResponse.CreateFor(request, 200, toTag: "x2");

        Assert.Equal("x1", tagged.To!.Tag);
        Assert.Equal("Bob", tagged.To.DisplayName);
        Assert.Equal("existing", kept.To!.Tag);
    }

    [Fact]
    public void CreateFor_Trying_CopiesTimestamp()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite("Timestamp: 54.2 0.5"));

        var response = SipResponse.CreateFor(request, 100);

        Assert.Equal("54.2 0.5", response.Headers.Get(HeaderId.Timestamp));
        Assert.Equal("Trying", response.ReasonPhrase);
    }

    [Fact]
    public void CreateFor_CustomReason_IsUsed()
    {
        var response = SipResponse.CreateFor(TestMessages.ParseRequest(TestMessages.Invite()), 400, "Bad Request - Invalid CSeq");

        Assert.Equal("Bad Request - Invalid CSeq", response.ReasonPhrase);
    }

    [Theory]
    [InlineData(183, "Session Progress")]
    [InlineData(481, "Call/Transaction Does Not Exist")]
    [InlineData(499, "Bad Request")]
    [InlineData(513, "Message Too Large")]
    public void DefaultReason_KnownAndUnknownCodes(int code, string reason)
    {
        Assert.Equal(reason, SipStatus.DefaultReason(code));
    }

    [Fact]
    public void Constructor_OutOfRangeStatus_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipResponse(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipResponse(700));
    }
}
