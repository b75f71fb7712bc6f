using System.Net;
using System.Net.Sockets;
using Intake.Sip.Transport;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

public sealed class SipUdpTransportTests
{
    public static TheoryData<string> Loopbacks => ["127.0.0.1", "::1"];

    [Theory]
    [MemberData(nameof(Loopbacks))]
    public async Task SendAsync_RequestFromLoopbackPeer_DeliveredAndAnsweredFromListeningPort(string address)
    {
        var loopback = IPAddress.Parse(address);
        var recorder = new InboundRecorder();
        await using var layer = await StartUdpAsync(loopback, recorder);
        var local = layer.GetLocalEndPoint(SipTransportProtocol.Udp, loopback.AddressFamily)!.Value;
        using var peer = new UdpClient(new IPEndPoint(loopback, 0));
        var request = Bytes(Options("udp-" + address));

        await peer.SendAsync(request, local.Address);
        var received = await recorder.NextAsync();

        Assert.Equal(request, received.Data);
        Assert.Equal(new SipEndPoint(SipTransportProtocol.Udp, (IPEndPoint)peer.Client.LocalEndPoint!), received.Remote);
        Assert.Equal(local, received.Local);
        Assert.Equal(0, received.ConnectionId);

        var response = Bytes(Ok("udp-" + address));
        Assert.True(await layer.SendAsync(received.Remote, response));
        var answer = await peer.ReceiveAsync().WaitAsync(InboundRecorder.Timeout);

        Assert.Equal(response, answer.Buffer);
        Assert.Equal(local.Address, answer.RemoteEndPoint);
    }

    [Fact]
    public async Task ReceiveLoop_HandlerThrows_LoopKeepsReceivingAndLogs()
    {
        var recorder = new InboundRecorder(throwWhen: m => m.Data.Span.IndexOf("poison"u8) >= 0);
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartUdpAsync(IPAddress.Loopback, recorder, logs);
        var local = layer.GetLocalEndPoint(SipTransportProtocol.Udp, AddressFamily.InterNetwork)!.Value;
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await peer.SendAsync(Bytes(Options("poison")), local.Address);
        await peer.SendAsync(Bytes(Options("healthy")), local.Address);
        var received = await recorder.NextAsync();

        Assert.Contains("healthy", received.Text, StringComparison.Ordinal);
        Assert.True(logs.Contains("handler failed"));
    }

    [Fact]
    public async Task ReceiveLoop_CrlfKeepAliveDatagrams_NotDelivered()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartUdpAsync(IPAddress.Loopback, recorder);
        var local = layer.GetLocalEndPoint(SipTransportProtocol.Udp, AddressFamily.InterNetwork)!.Value;
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await peer.SendAsync(Bytes("\r\n\r\n"), local.Address);
        await peer.SendAsync(Bytes("\r\n"), local.Address);
        await peer.SendAsync(Bytes(Options("after-keepalive")), local.Address);
        var received = await recorder.NextAsync();

        Assert.Contains("after-keepalive", received.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NoSocketForAddressFamily_ReturnsFalse()
    {
        await using var layer = await StartUdpAsync(IPAddress.Loopback, new InboundRecorder());

        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5060)), Bytes(Options("v6")));

        Assert.False(sent);
    }

    [Fact]
    public async Task StartAsync_PortAlreadyBound_ThrowsNamingEndPoint()
    {
        using var occupant = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var taken = (IPEndPoint)occupant.Client.LocalEndPoint!;
        var options = new SipTransportOptions { ListenEndPoints = [taken], EnableTcp = false };
        await using var layer = new SipTransportLayer(options, new InboundRecorder().HandleAsync, TimeProvider.System, new CapturingLoggerFactory());

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => layer.StartAsync(CancellationToken.None));

        Assert.Contains(taken.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_EphemeralPort_UdpAndTcpShareOnePort()
    {
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)] };
        await using var layer = new SipTransportLayer(options, new InboundRecorder().HandleAsync, TimeProvider.System, new CapturingLoggerFactory());

        await layer.StartAsync(CancellationToken.None);
        var udp = layer.GetLocalEndPoint(SipTransportProtocol.Udp, AddressFamily.InterNetwork)!.Value;
        var tcp = layer.GetLocalEndPoint(SipTransportProtocol.Tcp, AddressFamily.InterNetwork)!.Value;

        Assert.NotEqual(0, udp.Address.Port);
        Assert.Equal(udp.Address.Port, tcp.Address.Port);
        Assert.Equal(2, layer.LocalEndPoints.Count);
        Assert.Equal($"udp:127.0.0.1:{udp.Address.Port}", udp.ToString());
    }

    [Fact]
    public void ToString_IPv6TcpEndPoint_BracketedWithScheme()
    {
        var endPoint = new SipEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.IPv6Loopback, 5060));

        Assert.Equal("tcp:[::1]:5060", endPoint.ToString());
    }

    private static async Task<SipTransportLayer> StartUdpAsync(IPAddress address, InboundRecorder recorder, CapturingLoggerFactory? logs = null)
    {
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(address, 0)], EnableTcp = false };
        var layer = new SipTransportLayer(options, recorder.HandleAsync, TimeProvider.System, logs ?? new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        return layer;
    }
}
