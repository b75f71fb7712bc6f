using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Intake.Media.Io;

namespace Intake.Media.Tests.Io;

[SupportedOSPlatform("linux")]
public sealed class DatagramReactorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    [Fact]
    public async Task Register_DatagramsFromAPeer_DeliveredInOrderWithTheSourceAddress()
    {
        using var reactor = new DatagramReactor(1);
        using var socket = Bound();
        using var peer = Bound();
        var sink = new CollectingSink(expected: 50) { OnlyFrom = peer.LocalEndPoint!.Serialize() };
        var registration = reactor.Register(socket, sink, lane: 0);

        for (var i = 0; i < 50; i++)
        {
            peer.SendTo(new[] { (byte)i, (byte)(i * 2) }, socket.LocalEndPoint!);
        }

        await sink.Complete.Task.WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i), sink.Datagrams.Select(d => d[0]));
        Assert.All(sink.Datagrams, d => Assert.Equal(2, d.Length));
        Assert.All(sink.Sources, s => Assert.Equal(peer.LocalEndPoint, s));
        Assert.True(registration.Datagrams >= 50);
        await registration.DisposeAsync();
    }

    [Fact]
    public async Task Register_ManySocketsOnTwoThreads_EverySocketGetsAllItsDatagrams()
    {
        const int Sockets = 200;
        const int PerSocket = 20;
        using var reactor = new DatagramReactor(2);
        using var peer = Bound();
        var sockets = Enumerable.Range(0, Sockets).Select(_ => Bound()).ToArray();
        var sinks = Enumerable.Range(0, Sockets).Select(_ => new CollectingSink(PerSocket) { OnlyFrom = peer.LocalEndPoint!.Serialize() }).ToArray();
        var registrations = sockets.Select((s, i) => reactor.Register(s, sinks[i], lane: i)).ToArray();
        try
        {
            for (var round = 0; round < PerSocket; round++)
            {
                foreach (var socket in sockets)
                {
                    peer.SendTo(new[] { (byte)round }, socket.LocalEndPoint!);
                }

                // The default receive buffer holds a few hundred small datagrams; pace so none is dropped by the kernel.
                await Task.Delay(5);
            }

            await Task.WhenAll(sinks.Select(s => s.Complete.Task)).WaitAsync(Patience);
            Assert.All(sinks, s => Assert.Equal(Enumerable.Range(0, PerSocket).Select(i => (byte)i), s.Datagrams.Select(d => d[0])));
            Assert.True(reactor.Datagrams >= Sockets * PerSocket);
            Assert.True(reactor.Rounds <= reactor.Datagrams);
        }
        finally
        {
            foreach (var registration in registrations)
            {
                await registration.DisposeAsync();
            }

            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task DisposeAsync_Registration_NothingDeliveredAfterwardsAndTheSocketCanClose()
    {
        using var reactor = new DatagramReactor(1);
        var socket = Bound();
        using var peer = Bound();
        var sink = new CollectingSink(expected: 1) { OnlyFrom = peer.LocalEndPoint!.Serialize() };
        var registration = reactor.Register(socket, sink, lane: 0);
        peer.SendTo(new byte[] { 1 }, socket.LocalEndPoint!);
        await sink.Complete.Task.WaitAsync(Patience);

        await registration.DisposeAsync().AsTask().WaitAsync(Patience);
        peer.SendTo(new byte[] { 2 }, socket.LocalEndPoint!);
        socket.Dispose();

        // A second socket proves the thread still runs; the removed one saw nothing more.
        using var other = Bound();
        var otherSink = new CollectingSink(expected: 1);
        await using var otherRegistration = reactor.Register(other, otherSink, lane: 0);
        peer.SendTo(new byte[] { 3 }, other.LocalEndPoint!);
        await otherSink.Complete.Task.WaitAsync(Patience);
        Assert.Single(sink.Datagrams);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task OnDatagram_SourceAddress_EqualsTheSerializedEndPointSessionsLatchOn(string loopback)
    {
        var address = IPAddress.Parse(loopback);
        using var reactor = new DatagramReactor(1);
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        using var peer = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(address, 0));
        var sink = new CollectingSink(expected: 1) { OnlyFrom = peer.LocalEndPoint!.Serialize() };
        await using var registration = reactor.Register(socket, sink, lane: 0);

        peer.SendTo(new byte[] { 7 }, socket.LocalEndPoint!);

        await sink.Complete.Task.WaitAsync(Patience);
        Assert.Equal(peer.LocalEndPoint!.Serialize(), Assert.Single(sink.Addresses));
    }

    [Fact]
    public async Task OnDatagram_IPv4ThenIPv6OnOneThread_EachSourceAddressWhole()
    {
        using var reactor = new DatagramReactor(1);
        var sinks = new List<CollectingSink>();
        var sockets = new List<Socket>();
        try
        {
            foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Loopback, IPAddress.IPv6Loopback })
            {
                var socket = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(loopback, 0));
                var peer = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                peer.Bind(new IPEndPoint(loopback, 0));
                sockets.Add(socket);
                sockets.Add(peer);
                var sink = new CollectingSink(expected: 1) { OnlyFrom = peer.LocalEndPoint!.Serialize() };
                sinks.Add(sink);
                await using var registration = reactor.Register(socket, sink, lane: 0);

                // One at a time, so a short IPv4 address is read just before a long IPv6 one on the same thread.
                peer.SendTo(new byte[] { 9 }, socket.LocalEndPoint!);
                await sink.Complete.Task.WaitAsync(Patience);
                Assert.Equal(peer.LocalEndPoint!.Serialize(), Assert.Single(sink.Addresses));
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task OnDatagram_SinkThrows_LaterDatagramsStillDelivered()
    {
        using var reactor = new DatagramReactor(1);
        using var socket = Bound();
        using var peer = Bound();
        var sink = new CollectingSink(expected: 3) { ThrowOn = 1, OnlyFrom = peer.LocalEndPoint!.Serialize() };
        await using var registration = reactor.Register(socket, sink, lane: 0);

        for (byte i = 0; i < 3; i++)
        {
            peer.SendTo(new[] { i }, socket.LocalEndPoint!);
        }

        await sink.Complete.Task.WaitAsync(Patience);
        Assert.Equal(new byte[] { 0, 1, 2 }, sink.Datagrams.Select(d => d[0]));
    }

    [Fact]
    public async Task Dispose_Reactor_OpenRegistrationsAreReleased()
    {
        var reactor = new DatagramReactor(2);
        using var socket = Bound();
        var registration = reactor.Register(socket, new CollectingSink(expected: 1), lane: 1);

        reactor.Dispose();

        await registration.DisposeAsync().AsTask().WaitAsync(Patience);
        Assert.Throws<ObjectDisposedException>(() => reactor.Register(socket, new CollectingSink(expected: 1), lane: 1));
    }

    private sealed class CollectingSink(int expected) : IDatagramSink
    {
        public ConcurrentQueue<byte[]> Datagrams { get; } = new();

        public ConcurrentQueue<EndPoint> Sources { get; } = new();

        public ConcurrentQueue<SocketAddress> Addresses { get; } = new();

        public TaskCompletionSource Complete { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int ThrowOn { get; init; } = -1;

        /// <summary>Other tests' media sockets may send to an ephemeral port of ours (RTCP to port + 1): ignored.</summary>
        public SocketAddress? OnlyFrom { get; init; }

        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
        {
            if (OnlyFrom is { } source && !source.Equals(from))
            {
                return;
            }

            Datagrams.Enqueue(datagram.ToArray());
            Sources.Enqueue(new IPEndPoint(IPAddress.Any, 0).Create(from));
            var copy = new SocketAddress(from.Family, from.Size);
            from.Buffer.Span[..from.Size].CopyTo(copy.Buffer.Span);
            Addresses.Enqueue(copy);
            if (Datagrams.Count >= expected)
            {
                Complete.TrySetResult();
            }

            if (datagram[0] == ThrowOn)
            {
                throw new InvalidOperationException("sink failure");
            }
        }
    }
}
