using System.Net;
using Intake.Sip.Core;
using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Core;

public sealed class ResponseRouterTests
{
    private static SipVia Via(string text)
    {
        Assert.True(SipVia.TryParse(text, out var via));
        return via!;
    }

    private static SipEndPoint Udp(string ip, int port) => new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(ip), port));

    private static SipEndPoint Tcp(string ip, int port) => new(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Parse(ip), port));

    [Fact]
    public void Route_UdpWithoutRport_UsesReceivedAndSentByPort()
    {
        var route = ResponseRouter.Route(Via("SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK1;received=203.0.113.7"), Udp("203.0.113.7", 40000), 0);

        Assert.Equal(Udp("203.0.113.7", 5070), route.Destination);
        Assert.Equal(0, route.ConnectionId);
    }

    [Fact]
    public void Route_UdpWithoutPort_UsesDefault5060()
    {
        var route = ResponseRouter.Route(Via("SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1"), Udp("192.0.2.10", 40000), 0);

        Assert.Equal(Udp("192.0.2.10", 5060), route.Destination);
    }

    [Fact]
    public void Route_UdpWithRport_UsesReceivedAndRport()
    {
        var route = ResponseRouter.Route(Via("SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK1;rport=61000;received=203.0.113.7"), Udp("203.0.113.7", 61000), 0);

        Assert.Equal(Udp("203.0.113.7", 61000), route.Destination);
    }

    [Fact]
    public void Route_UdpWithMaddr_UsesMaddrAndSentByPort()
    {
        var route = ResponseRouter.Route(Via("SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK1;maddr=198.51.100.1;received=203.0.113.7"), Udp("203.0.113.7", 61000), 0);

        Assert.Equal(Udp("198.51.100.1", 5070), route.Destination);
    }

    [Fact]
    public void Route_Tcp_PrefersConnectionAndFallsBackToReceivedAtSentByPort()
    {
        var route = ResponseRouter.Route(Via("SIP/2.0/TCP 10.0.0.5:5080;branch=z9hG4bK1;received=203.0.113.7"), Tcp("203.0.113.7", 49152), 42);

        Assert.Equal(42, route.ConnectionId);
        Assert.Equal(Tcp("203.0.113.7", 5080), route.Destination);
    }

    [Fact]
    public void Route_HostNameWithoutReceived_UsesSourceAddress()
    {
        var route = ResponseRouter.Route(Via("SIP/2.0/UDP pbx.example.com:5060;branch=z9hG4bK1"), Udp("192.0.2.99", 5060), 0);

        Assert.Equal(Udp("192.0.2.99", 5060), route.Destination);
    }

    [Fact]
    public void Route_Ipv6Received_ParsesBracketlessLiteral()
    {
        var source = new SipEndPoint(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("2001:db8::7"), 5060));
        var route = ResponseRouter.Route(Via("SIP/2.0/UDP [2001:db8::5]:5062;branch=z9hG4bK1;received=2001:db8::7"), source, 0);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 5062), route.Destination.Address);
    }
}
