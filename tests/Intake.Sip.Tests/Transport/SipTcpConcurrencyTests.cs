using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Intake.Sip.Messages;
using Intake.Sip.Transport;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

public sealed class SipTcpConcurrencyTests
{
    private const int ConcurrentSends = 40;

    [Fact]
    public async Task SendAsync_ConcurrentSendsOnOneConnection_MessagesNeverInterleave()
    {
        var recorder = new InboundRecorder();
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)], EnableUdp = false };
        await using var layer = new SipTransportLayer(options, recorder.HandleAsync, TimeProvider.System, new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        var server = layer.GetLocalEndPoint(SipTransportProtocol.Tcp, AddressFamily.InterNetwork)!.Value.Address;
        using var peer = await TcpTestPeer.ConnectAsync(server);
        await peer.WriteAsync(Bytes(Options("hello")));
        var hello = await recorder.NextAsync();
        var messages = Enumerable.Range(0, ConcurrentSends).Select(i => Bytes(Invite($"c{i}", new string((char)('a' + (i % 26)), 3000)))).ToArray();

        var results = await Task.WhenAll(messages.Select(m => layer.SendAsync(hello.Remote, m, hello.ConnectionId).AsTask()))
            .WaitAsync(InboundRecorder.Timeout);
        var received = await ReadFramedAsync(peer, messages.Length);

        Assert.All(results, Assert.True);
        Assert.Equal(messages.Select(Convert.ToBase64String).Order(), received.Select(Convert.ToBase64String).Order());
    }

    [Fact]
    public async Task SendAsync_ConcurrentSendsToUnconnectedRemote_ShareOneOutboundConnection()
    {
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)], EnableUdp = false };
        await using var layer = new SipTransportLayer(options, new InboundRecorder().HandleAsync, TimeProvider.System, new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        var remoteListener = new TcpListener(IPAddress.Loopback, 0);
        remoteListener.Start();
        try
        {
            var remote = new SipEndPoint(SipTransportProtocol.Tcp, (IPEndPoint)remoteListener.LocalEndpoint);
            var messages = Enumerable.Range(0, 10).Select(i => Bytes(Options($"o{i}"))).ToArray();

            var sends = Task.WhenAll(messages.Select(m => layer.SendAsync(remote, m).AsTask()));
            using var peer = TcpTestPeer.Wrap(await remoteListener.AcceptTcpClientAsync().WaitAsync(InboundRecorder.Timeout));
            var results = await sends.WaitAsync(InboundRecorder.Timeout);
            var received = await ReadFramedAsync(peer, messages.Length);

            Assert.All(results, Assert.True);
            Assert.Equal(messages.Length, received.Count);
            Assert.False(remoteListener.Pending());
            Assert.Equal(1, layer.ActiveTcpConnections);
        }
        finally
        {
            remoteListener.Stop();
        }
    }

    private static async Task<List<byte[]>> ReadFramedAsync(TcpTestPeer peer, int count)
    {
        var messages = new List<byte[]>();
        var pending = Array.Empty<byte>();
        var chunk = new byte[16384];
        using var timeout = new CancellationTokenSource(InboundRecorder.Timeout);
        while (messages.Count < count)
        {
            var read = await peer.Stream.ReadAsync(chunk, timeout.Token);
            Assert.True(read > 0, "server closed the connection early");
            pending = [.. pending, .. chunk.AsSpan(0, read)];
            var buffer = new ReadOnlySequence<byte>(pending);
            while (SipStreamFramer.TryReadMessage(ref buffer, SipParserLimits.Default, out var message, out _, out var error) is var status
                && status != SipFramingStatus.NeedMoreData)
            {
                Assert.True(status == SipFramingStatus.Complete, error);
                messages.Add(message.ToArray());
            }

            pending = buffer.ToArray();
        }

        return messages;
    }
}
