using System.Net;
using System.Net.Sockets;
using Intake.Sip.Transport;
using Microsoft.Extensions.Time.Testing;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

public sealed class SipTcpTransportTests
{
    [Fact]
    public async Task ReadLoop_SeveralMessagesInOneWrite_AllDeliveredInOrderOnOneConnection()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTcpAsync(recorder);
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        var messages = new[] { Bytes(Invite("m1")), Bytes(Options("m2")), Bytes(Ok("m3")) };

        await peer.WriteAsync([.. messages[0], .. messages[1], .. messages[2]]);
        var received = new[] { await recorder.NextAsync(), await recorder.NextAsync(), await recorder.NextAsync() };

        for (var i = 0; i < messages.Length; i++)
        {
            Assert.Equal(messages[i], received[i].Data);
        }

        Assert.NotEqual(0, received[0].ConnectionId);
        Assert.All(received, r => Assert.Equal(received[0].ConnectionId, r.ConnectionId));
        Assert.Equal(new SipEndPoint(SipTransportProtocol.Tcp, peer.LocalEndPoint), received[0].Remote);
    }

    [Fact]
    public async Task ReadLoop_MessageSplitAcrossWrites_DeliveredWhole()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTcpAsync(recorder);
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        var message = Bytes(Invite("split"));

        await peer.WriteAsync(message[..10]);
        await peer.WriteAsync(message[10..200]);
        await peer.WriteAsync(message[200..]);
        var received = await recorder.NextAsync();

        Assert.Equal(message, received.Data);
    }

    [Fact]
    public async Task SendAsync_WithInboundConnectionId_ResponseArrivesOnSameConnection()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTcpAsync(recorder);
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        await peer.WriteAsync(Bytes(Options("reply")));
        var request = await recorder.NextAsync();
        var response = Bytes(Ok("reply"));

        var sent = await layer.SendAsync(request.Remote, response, request.ConnectionId);

        Assert.True(sent);
        Assert.Equal(response, await peer.ReadExactlyAsync(response.Length));
        Assert.Equal(1, layer.ActiveTcpConnections);
    }

    [Fact]
    public async Task SendAsync_NoConnectionIdButKnownRemote_ReusesInboundConnection()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTcpAsync(recorder);
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        await peer.WriteAsync(Bytes(Options("reuse")));
        var request = await recorder.NextAsync();
        var inDialogRequest = Bytes(Options("bye-like"));

        Assert.True(await layer.SendAsync(request.Remote, inDialogRequest));

        Assert.Equal(inDialogRequest, await peer.ReadExactlyAsync(inDialogRequest.Length));
        Assert.Equal(1, layer.ActiveTcpConnections);
    }

    [Fact]
    public async Task ReadLoop_CrlfCrlfPing_AnsweredWithCrlfPong()
    {
        await using var layer = await StartTcpAsync(new InboundRecorder());
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));

        await peer.WriteAsync(Bytes("\r\n\r\n"));

        Assert.Equal(Bytes("\r\n"), await peer.ReadExactlyAsync(2));
    }

    [Fact]
    public async Task SendAsync_NoConnectionToRemote_ConnectsAndReceivesAnswersOnIt()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTcpAsync(recorder);
        var remoteListener = new TcpListener(IPAddress.Loopback, 0);
        remoteListener.Start();
        try
        {
            var remote = new SipEndPoint(SipTransportProtocol.Tcp, (IPEndPoint)remoteListener.LocalEndpoint);
            var request = Bytes(Options("outbound"));

            Assert.True(await layer.SendAsync(remote, request));
            using var peer = TcpTestPeer.Wrap(await remoteListener.AcceptTcpClientAsync().WaitAsync(InboundRecorder.Timeout));
            Assert.Equal(request, await peer.ReadExactlyAsync(request.Length));

            var answer = Bytes(Ok("outbound"));
            await peer.WriteAsync(answer);
            var received = await recorder.NextAsync();
            Assert.Equal(answer, received.Data);
            Assert.Equal(remote, received.Remote);

            var second = Bytes(Options("outbound-2"));
            Assert.True(await layer.SendAsync(remote, second));
            Assert.Equal(second, await peer.ReadExactlyAsync(second.Length));
            Assert.False(remoteListener.Pending());
            Assert.Equal(1, layer.ActiveTcpConnections);
        }
        finally
        {
            remoteListener.Stop();
        }
    }

    [Fact]
    public async Task SendAsync_NothingListeningAtRemote_ReturnsFalseAndLogs()
    {
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartTcpAsync(new InboundRecorder(), logs: logs);
        var closedPort = new TcpListener(IPAddress.Loopback, 0);
        closedPort.Start();
        var remote = (IPEndPoint)closedPort.LocalEndpoint;
        closedPort.Stop();

        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Tcp, remote), Bytes(Options("refused")))
            .AsTask().WaitAsync(InboundRecorder.Timeout);

        Assert.False(sent);
        Assert.True(logs.Contains("connect to"));
        Assert.Equal(0, layer.ActiveTcpConnections);
    }

    [Fact]
    public async Task Accept_MoreConnectionsFromSourceThanLimit_ExcessClosedAndLogged()
    {
        var recorder = new InboundRecorder();
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartTcpAsync(recorder, options => options with { MaxTcpConnectionsPerSource = 2 }, logs: logs);
        var server = TcpEndPoint(layer);
        using var first = await TcpTestPeer.ConnectAsync(server);
        using var second = await TcpTestPeer.ConnectAsync(server);
        await first.WriteAsync(Bytes(Options("first")));
        await second.WriteAsync(Bytes(Options("second")));
        await recorder.NextAsync();
        await recorder.NextAsync();

        using var third = await TcpTestPeer.ConnectAsync(server);

        Assert.True(await third.WaitForCloseAsync());
        Assert.True(logs.Contains("per-source connection limit 2"));
        Assert.Equal(2, layer.ActiveTcpConnections);
        await first.WriteAsync(Bytes(Options("first-still-open")));
        Assert.Contains("first-still-open", (await recorder.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_MoreConnectionsThanTotalLimit_ExcessClosed()
    {
        var recorder = new InboundRecorder();
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartTcpAsync(recorder, options => options with { MaxTcpConnections = 1 }, logs: logs);
        using var first = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        await first.WriteAsync(Bytes(Options("only")));
        await recorder.NextAsync();

        using var second = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));

        Assert.True(await second.WaitForCloseAsync());
        Assert.True(logs.Contains("total connection limit 1"));
    }

    [Fact]
    public async Task Heartbeat_ConnectionIdleLongerThanTimeout_ClosedOnFakeClock()
    {
        var time = new FakeTimeProvider();
        var recorder = new InboundRecorder();
        await using var layer = await StartTcpAsync(recorder, options => options with { TcpIdleTimeout = TimeSpan.FromMinutes(1) }, time);
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        await peer.WriteAsync(Bytes(Options("idle")));
        await recorder.NextAsync();

        time.Advance(TimeSpan.FromSeconds(50));
        await peer.WriteAsync(Bytes(Options("activity")));
        await recorder.NextAsync();
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(1, layer.ActiveTcpConnections);

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await peer.WaitForCloseAsync());
    }

    [Fact]
    public async Task ReadLoop_GarbageStream_ConnectionClosedAndListenerKeepsAccepting()
    {
        var recorder = new InboundRecorder();
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartTcpAsync(recorder, logs: logs);
        using var garbage = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));

        await garbage.WriteAsync(Bytes("GET / HTTP/1.1\r\nHost: intake\r\n\r\n"));

        Assert.True(await garbage.WaitForCloseAsync());
        Assert.True(logs.Contains("unframeable"));
        using var healthy = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        await healthy.WriteAsync(Bytes(Options("after-garbage")));
        Assert.Contains("after-garbage", (await recorder.NextAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLoop_MessageWithoutContentLength_ConnectionClosed()
    {
        await using var layer = await StartTcpAsync(new InboundRecorder());
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));

        await peer.WriteAsync(Bytes(WithContentLengthLines()));

        Assert.True(await peer.WaitForCloseAsync());
    }

    [Fact]
    public async Task ReadLoop_HandlerThrows_ConnectionStaysUsable()
    {
        var recorder = new InboundRecorder(throwWhen: m => m.Data.Span.IndexOf("poison"u8) >= 0);
        await using var layer = await StartTcpAsync(recorder);
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));

        await peer.WriteAsync([.. Bytes(Options("poison")), .. Bytes(Options("healthy"))]);

        Assert.Contains("healthy", (await recorder.NextAsync()).Text, StringComparison.Ordinal);
        Assert.Equal(1, layer.ActiveTcpConnections);
    }

    [Fact]
    public async Task ReadLoop_IPv6Loopback_MessageDelivered()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTcpAsync(recorder, address: IPAddress.IPv6Loopback);
        var server = layer.GetLocalEndPoint(SipTransportProtocol.Tcp, AddressFamily.InterNetworkV6)!.Value.Address;
        using var peer = await TcpTestPeer.ConnectAsync(server);

        await peer.WriteAsync(Bytes(Options("v6")));

        var received = await recorder.NextAsync();
        Assert.Equal(AddressFamily.InterNetworkV6, received.Remote.Address.AddressFamily);
        Assert.Equal(SipTransportProtocol.Tcp, received.Local.Protocol);
    }

    [Fact]
    public async Task SendAsync_TlsRemote_ReturnsFalse()
    {
        await using var layer = await StartTcpAsync(new InboundRecorder());

        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 5061)), Bytes(Options("tls")));

        Assert.False(sent);
    }

    [Fact]
    public async Task DisposeAsync_OpenConnections_ClosedAndCountZero()
    {
        var recorder = new InboundRecorder();
        var layer = await StartTcpAsync(recorder);
        using var peer = await TcpTestPeer.ConnectAsync(TcpEndPoint(layer));
        await peer.WriteAsync(Bytes(Options("dispose")));
        await recorder.NextAsync();

        await layer.DisposeAsync().AsTask().WaitAsync(InboundRecorder.Timeout);

        Assert.True(await peer.WaitForCloseAsync());
        Assert.Equal(0, layer.ActiveTcpConnections);
    }

    private static IPEndPoint TcpEndPoint(SipTransportLayer layer) =>
        layer.GetLocalEndPoint(SipTransportProtocol.Tcp, AddressFamily.InterNetwork)!.Value.Address;

    private static async Task<SipTransportLayer> StartTcpAsync(
        InboundRecorder recorder,
        Func<SipTransportOptions, SipTransportOptions>? configure = null,
        TimeProvider? time = null,
        CapturingLoggerFactory? logs = null,
        IPAddress? address = null)
    {
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(address ?? IPAddress.Loopback, 0)], EnableUdp = false };
        options = configure?.Invoke(options) ?? options;
        var layer = new SipTransportLayer(options, recorder.HandleAsync, time ?? TimeProvider.System, logs ?? new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        return layer;
    }
}
