using System.Net;
using Intake.Sip.Core;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Core;

public sealed class ViaStamperTests
{
    private static SipEndPoint From(string ip, int port) => new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(ip), port));

    [Fact]
    public void Stamp_SentByMatchesSourceWithoutRport_LeavesViaUntouched()
    {
        var request = SipText.ParseRequest(SipText.Request(viaHost: "192.0.2.10"));

        Assert.False(ViaStamper.Stamp(request, From("192.0.2.10", 5060)));
        Assert.Null(request.TopVia!.Received);
    }

    [Fact]
    public void Stamp_SentByDiffersFromSource_AddsReceived()
    {
        var request = SipText.ParseRequest(SipText.Request(viaHost: "10.0.0.5"));

        Assert.True(ViaStamper.Stamp(request, From("203.0.113.7", 5060)));
        Assert.Equal("203.0.113.7", request.TopVia!.Received);
        Assert.False(request.TopVia.HasRport);
    }

    [Fact]
    public void Stamp_HostNameSentBy_AddsReceived()
    {
        var request = SipText.ParseRequest(SipText.Request(viaHost: "pbx.example.com"));

        ViaStamper.Stamp(request, From("192.0.2.10", 5060));
        Assert.Equal("192.0.2.10", request.TopVia!.Received);
    }

    [Fact]
    public void Stamp_RportRequested_FillsRportAndReceived()
    {
        var request = SipText.ParseRequest(SipText.Request(viaHost: "192.0.2.10", rport: true));

        Assert.True(ViaStamper.Stamp(request, From("192.0.2.10", 40123)));
        Assert.Equal(40123, request.TopVia!.Rport);
        Assert.Equal("192.0.2.10", request.TopVia.Received);
    }

    [Fact]
    public void Stamp_TwoViasOnOneLine_KeepsSecondVia()
    {
        var text = SipText.Request(viaHost: "10.0.0.5", viaExtra: ", SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKproxy");
        var request = SipText.ParseRequest(text);

        ViaStamper.Stamp(request, From("203.0.113.7", 5060));
        Assert.Equal(2, request.Vias.Count);
        Assert.Equal("203.0.113.7", request.Vias[0].Received);
        Assert.Equal("z9hG4bKproxy", request.Vias[1].Branch);
    }

    [Fact]
    public async Task Receive_RequestWithRport_ResponseCarriesStampedViaAndGoesToSourcePort()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = async (tx, _) => await tx.SendResponseAsync(tx.CreateResponse(200));
        var natted = new SipEndPoint(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("203.0.113.7"), 61000));
        await h.InjectAsync(SipText.Request("OPTIONS", viaHost: "10.0.0.5", rport: true), natted);

        var ok = Assert.Single(h.Wire.Sent);
        Assert.Equal(natted, ok.Destination);
        Assert.Equal("203.0.113.7", ok.Response.TopVia!.Received);
        Assert.Equal(61000, ok.Response.TopVia.Rport);
    }
}
