using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Intake.Media.Io;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Media.Tests.Io;

[SupportedOSPlatform("linux")]
public sealed class DatagramSendBatchTests
{
    private static Socket Bound(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    private static byte[] Datagram(int index, int length)
    {
        var datagram = new byte[length];
        for (var i = 0; i < length; i++)
        {
            datagram[i] = (byte)(index + i);
        }

        return datagram;
    }

    private static List<byte[]> ReceiveAll(Socket receiver, int count)
    {
        var received = new List<byte[]>();
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(receiver.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        for (var i = 0; i < count; i++)
        {
            var length = receiver.ReceiveFrom(buffer, ref from);
            received.Add(buffer[..length]);
        }

        return received;
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", true)]
    public async Task Flush_EqualSizedDatagrams_EachArrivesWholeAndInOrderFromOneSystemCall(string loopback, bool segmentation)
    {
        var address = IPAddress.Parse(loopback);
        using var reactor = new DatagramReactor(1);
        using var sender = Bound(address);
        using var receiver = Bound(address);
        var registration = reactor.Register(sender, new IgnoringSink(), lane: 0);
        using var batch = new DatagramSendBatch(NullLogger.Instance, segmentation);
        var target = receiver.LocalEndPoint!.Serialize();
        var sent = Enumerable.Range(0, 20).Select(i => Datagram(i, 172)).ToList();

        foreach (var datagram in sent)
        {
            Assert.True(batch.TryAdd(registration, datagram, target));
        }

        batch.Flush();

        Assert.Equal(sent, ReceiveAll(receiver, sent.Count));
        Assert.Equal(1, batch.SendCalls);
        Assert.Equal(0, batch.Dropped);
        Assert.Equal(0, registration.SendFailures);
        Assert.Equal(sender.LocalEndPoint, ReceiveSource(receiver, sender, registration, batch));
        await registration.DisposeAsync();
    }

    [Fact]
    public async Task Flush_SizesChangeMidBatch_EveryDatagramKeepsItsSizeAndPlace()
    {
        // Voice packets with RFC 4733 events between them: runs of one size are sent together, the order never changes.
        using var reactor = new DatagramReactor(1);
        using var sender = Bound(IPAddress.Loopback);
        using var receiver = Bound(IPAddress.Loopback);
        var registration = reactor.Register(sender, new IgnoringSink(), lane: 0);
        using var batch = new DatagramSendBatch(NullLogger.Instance);
        var target = receiver.LocalEndPoint!.Serialize();
        int[] sizes = [172, 172, 172, 16, 16, 16, 172, 172, 332, 16, 172];
        var sent = sizes.Select(Datagram).ToList();

        foreach (var datagram in sent)
        {
            Assert.True(batch.TryAdd(registration, datagram, target));
        }

        batch.Flush();

        Assert.Equal(sent, ReceiveAll(receiver, sent.Count));
        Assert.Equal(0, batch.Dropped);
        await registration.DisposeAsync();
    }

    [Fact]
    public async Task TryAdd_AnotherSocketOrAFullBatch_FlushesFirstSoEverySocketKeepsItsOrder()
    {
        using var reactor = new DatagramReactor(1);
        using var senderA = Bound(IPAddress.Loopback);
        using var senderB = Bound(IPAddress.Loopback);
        using var receiverA = Bound(IPAddress.Loopback);
        using var receiverB = Bound(IPAddress.Loopback);
        var registrationA = reactor.Register(senderA, new IgnoringSink(), lane: 0);
        var registrationB = reactor.Register(senderB, new IgnoringSink(), lane: 0);
        using var batch = new DatagramSendBatch(NullLogger.Instance);
        var targetA = receiverA.LocalEndPoint!.Serialize();
        var targetB = receiverB.LocalEndPoint!.Serialize();
        var toA = new List<byte[]>();
        var toB = new List<byte[]>();

        // 3 to A, 3 to B, alternating; then more than a batch holds to A alone.
        for (var i = 0; i < 6; i++)
        {
            var datagram = Datagram(i, 172);
            var toFirst = i % 2 == 0;
            Assert.True(batch.TryAdd(toFirst ? registrationA : registrationB, datagram, toFirst ? targetA : targetB));
            (toFirst ? toA : toB).Add(datagram);
        }

        for (var i = 0; i < (DatagramSendBatch.Capacity * 2) + 5; i++)
        {
            var datagram = Datagram(100 + i, 172);
            Assert.True(batch.TryAdd(registrationA, datagram, targetA));
            toA.Add(datagram);
        }

        batch.Flush();

        Assert.Equal(toA, ReceiveAll(receiverA, toA.Count));
        Assert.Equal(toB, ReceiveAll(receiverB, toB.Count));
        await registrationA.DisposeAsync();
        await registrationB.DisposeAsync();
    }

    [Fact]
    public async Task TryAdd_TooLargeOrClosedSocket_RefusedSoTheCallerSendsAloneOrDrops()
    {
        using var reactor = new DatagramReactor(1);
        using var receiver = Bound(IPAddress.Loopback);
        var sender = Bound(IPAddress.Loopback);
        var registration = reactor.Register(sender, new IgnoringSink(), lane: 0);
        using var batch = new DatagramSendBatch(NullLogger.Instance);
        var target = receiver.LocalEndPoint!.Serialize();

        Assert.False(batch.TryAdd(registration, new byte[DatagramSendBatch.BufferBytes + 1], target));

        await registration.DisposeAsync();
        sender.Dispose();
        Assert.False(batch.TryAdd(registration, Datagram(1, 172), target));
        Assert.False(registration.TrySendTo(Datagram(1, 172), target));
        batch.Flush();
        Assert.Equal(0, batch.SendCalls);
    }

    [Fact]
    public async Task TrySendTo_FromTheReactorThread_DatagramsAreBatchedAndAllArrive()
    {
        // An echo on the reactor: what a relay does. Everything a peer sends in a burst comes back, in order.
        const int Count = 200;
        using var reactor = new DatagramReactor(1);
        using var socket = Bound(IPAddress.Loopback);
        using var peer = Bound(IPAddress.Loopback);
        var echo = new EchoSink(peer.LocalEndPoint!.Serialize());
        var registration = reactor.Register(socket, echo, lane: 0);
        echo.Registration = registration;
        var sent = Enumerable.Range(0, Count).Select(i => Datagram(i, 172)).ToList();

        foreach (var datagram in sent)
        {
            peer.SendTo(datagram, socket.LocalEndPoint!);
        }

        Assert.Equal(sent, ReceiveAll(peer, Count));
        Assert.Equal(0, registration.SendFailures);
        await registration.DisposeAsync();
    }

    private static EndPoint ReceiveSource(Socket receiver, Socket sender, DatagramRegistration registration, DatagramSendBatch batch)
    {
        // The source of a batched datagram is the registered socket's own address (symmetric RTP depends on it).
        Assert.True(batch.TryAdd(registration, Datagram(7, 172), receiver.LocalEndPoint!.Serialize()));
        batch.Flush();
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(sender.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        receiver.ReceiveFrom(buffer, ref from);
        return from;
    }

    private sealed class IgnoringSink : IDatagramSink
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
        {
        }
    }

    private sealed class EchoSink(SocketAddress peer) : IDatagramSink
    {
        public DatagramRegistration? Registration { get; set; }

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
        {
            if (from.Equals(peer))
            {
                Registration?.TrySendTo(datagram, peer);
            }
        }
    }
}
