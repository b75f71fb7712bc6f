using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipViaTests
{
    [Fact]
    public void TryParse_FullVia_ReadsEveryPart()
    {
        Assert.True(SipVia.TryParse("SIP/2.0/TLS client.example.com:5061;branch=z9hG4bK74bf9;received=192.0.2.101;rport=6000;maddr=239.1.1.1", out var via));

        Assert.Equal("SIP/2.0", via!.Protocol);
        Assert.Equal(SipTransportProtocol.Tls, via.Transport);
        Assert.Equal("client.example.com", via.Host);
        Assert.Equal(5061, via.Port);
        Assert.Equal("client.example.com:5061", via.SentBy);
        Assert.Equal("z9hG4bK74bf9", via.Branch);
        Assert.Equal("192.0.2.101", via.Received);
        Assert.True(via.HasRport);
        Assert.Equal(6000, via.Rport);
        Assert.Equal("239.1.1.1", via.MAddr);
    }

    [Fact]
    public void TryParse_LwsAroundSlashesAndColon_IsAccepted()
    {
        Assert.True(SipVia.TryParse("sip / 2.0 / udp  [2001:db8::1] : 5070 ; branch = z9hG4bKx", out var via));

        Assert.Equal(SipTransportProtocol.Udp, via!.Transport);
        Assert.Equal("[2001:db8::1]", via.Host);
        Assert.Equal(5070, via.Port);
        Assert.Equal("z9hG4bKx", via.Branch);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0 host")]
    [InlineData("SIP/2.0/UDP host;;branch=1")]
    [InlineData("SIP/2.0/UDP host;ttl=300")]
    [InlineData("SIP/2.0/UDP host;rport=x")]
    [InlineData("SIP/2.0/UDP host;received=not an address")]
    [InlineData("SIP/2.0/UDP host:70000")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(SipVia.TryParse(text, out _));
    }

    [Fact]
    public void WithReceived_AddsReceivedAndFillsRport()
    {
        Assert.True(SipVia.TryParse("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport", out var via));

        var updated = via!.WithReceived("203.0.113.9", 40123);

        Assert.Equal("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.9", updated.ToString());
        Assert.Equal(40123, updated.Rport);
        Assert.Equal("203.0.113.9", updated.Received);
    }

    [Fact]
    public void Constructor_BuildsTopVia()
    {
        var via = new SipVia(SipTransportProtocol.Tcp, "192.0.2.1", 5060, "z9hG4bKabc");

        Assert.Equal("SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bKabc", via.ToString());
    }
}
