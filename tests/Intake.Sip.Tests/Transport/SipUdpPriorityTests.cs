using System.Net;
using System.Net.Sockets;
using System.Text;
using Intake.Sip.Messages;
using Intake.Sip.Transport;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

/// <summary>The UDP receive path's admission and priority queues, on a real loopback socket with a handler the test holds up.</summary>
public sealed class SipUdpPriorityTests
{
    private static string Register(string callId) =>
        "REGISTER sip:intake.example SIP/2.0\r\n"
        + $"Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-{callId}\r\n"
        + "To: <sip:op@intake.example>\r\n"
        + "From: <sip:op@intake.example>;tag=r1\r\n"
        + $"Call-ID: {callId}\r\n"
        + "CSeq: 1 REGISTER\r\n"
        + "Content-Length: 0\r\n"
        + "\r\n";

    private static string CallIdOf(byte[] message)
    {
        var text = Encoding.ASCII.GetString(message);
        var start = text.IndexOf("Call-ID: ", StringComparison.Ordinal) + "Call-ID: ".Length;
        return text[start..text.IndexOf('\r', start)];
    }

    [Fact]
    public async Task ProcessLoop_InviteArrivesBehindQueuedRegisters_InviteHandledBeforeThem()
    {
        var classifier = new CountingClassifier();
        var handler = new GatedHandler();
        await using var layer = await StartAsync(classifier, handler, lowCapacity: 64);
        using var peer = PeerFor(layer, out var server);

        await peer.SendAsync(Bytes(Register("reg-0")), server);
        await handler.FirstEnteredAsync();
        for (var i = 1; i <= 10; i++)
        {
            await peer.SendAsync(Bytes(Register("reg-" + i)), server);
        }

        await peer.SendAsync(Bytes(Invite("invite-1")), server);
        await peer.SendAsync(Bytes(Register("reg-11")), server);
        await peer.SendAsync(Bytes(Invite("invite-2")), server);
        await classifier.ClassifiedAsync(14);
        handler.Release();
        var order = await handler.HandledAsync(14);

        Assert.Equal(
            ["reg-0", "invite-1", "invite-2", .. Enumerable.Range(1, 11).Select(i => "reg-" + i)],
            order.Select(CallIdOf));
    }

    [Fact]
    public async Task ReceiveLoop_HandlerStuckAndLowQueueFull_LowShedButInviteStillHandled()
    {
        var classifier = new CountingClassifier();
        var handler = new GatedHandler();
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartAsync(classifier, handler, lowCapacity: 4, logs);
        using var peer = PeerFor(layer, out var server);

        await peer.SendAsync(Bytes(Register("reg-0")), server);
        await handler.FirstEnteredAsync();
        for (var i = 1; i <= 20; i++)
        {
            await peer.SendAsync(Bytes(Register("reg-" + i)), server);
        }

        await peer.SendAsync(Bytes(Invite("invite")), server);
        await classifier.ClassifiedAsync(22);
        handler.Release();
        var order = await handler.HandledAsync(6);

        Assert.Equal(["reg-0", "invite", "reg-1", "reg-2", "reg-3", "reg-4"], order.Select(CallIdOf));
        Assert.Equal(16, classifier.Shed.Count);
        Assert.All(classifier.Shed, s => Assert.Same(SipMethods.Register, s.Method));
        Assert.True(logs.Contains("low-priority queue full"));
    }

    [Fact]
    public async Task ReceiveLoop_HandlerStuck_HighThenNormalThenLowAndFullNormalQueueShed()
    {
        // INVITE stands for a trunk's call, OPTIONS for call traffic from outside the trunks, REGISTER for the rest.
        var classifier = new CountingClassifier(s => s.Method switch
        {
            SipMethods.Invite => SipInboundPriority.High,
            SipMethods.Options => SipInboundPriority.Normal,
            _ => SipInboundPriority.Low,
        });
        var handler = new GatedHandler();
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartAsync(classifier, handler, lowCapacity: 8, logs, normalCapacity: 3);
        using var peer = PeerFor(layer, out var server);

        await peer.SendAsync(Bytes(Register("reg-0")), server);
        await handler.FirstEnteredAsync();
        await peer.SendAsync(Bytes(Register("reg-1")), server);
        for (var i = 0; i < 10; i++)
        {
            await peer.SendAsync(Bytes(Options("stranger-" + i)), server);
        }

        await peer.SendAsync(Bytes(Invite("trunk-call")), server);
        await classifier.ClassifiedAsync(13);
        handler.Release();
        var order = await handler.HandledAsync(6);

        Assert.Equal(["reg-0", "trunk-call", "stranger-0", "stranger-1", "stranger-2", "reg-1"], order.Select(CallIdOf));
        Assert.Equal(7, classifier.Shed.Count);
        Assert.All(classifier.Shed, s => Assert.Same(SipMethods.Options, s.Method));
        Assert.True(logs.Contains("queue full"));
    }

    [Fact]
    public async Task ReceiveLoop_ClassifierDiscards_HandlerNeverSeesTheMessage()
    {
        var classifier = new CountingClassifier(s => s.Method == SipMethods.Options ? SipInboundPriority.Discard : SipInboundPriority.High);
        var recorder = new InboundRecorder();
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)], EnableTcp = false, InboundClassifier = classifier };
        await using var layer = new SipTransportLayer(options, recorder.HandleAsync, TimeProvider.System, new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        using var peer = PeerFor(layer, out var server);

        await peer.SendAsync(Bytes(Options("discarded")), server);
        await peer.SendAsync(Bytes(Invite("kept")), server);
        var received = await recorder.NextAsync();
        await classifier.ClassifiedAsync(2);

        Assert.Equal("kept", CallIdOf(received.Data));
        Assert.False(recorder.TryTake(out _));
    }

    [Fact]
    public async Task TcpMessage_ClassifierDiscards_HandlerNeverSeesItButConnectionGoesOn()
    {
        var classifier = new CountingClassifier(s => s.Method == SipMethods.Options ? SipInboundPriority.Discard : SipInboundPriority.Low);
        var recorder = new InboundRecorder();
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)], EnableUdp = false, InboundClassifier = classifier };
        await using var layer = new SipTransportLayer(options, recorder.HandleAsync, TimeProvider.System, new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        var server = layer.GetLocalEndPoint(SipTransportProtocol.Tcp, AddressFamily.InterNetwork)!.Value.Address;
        using var client = new TcpClient(AddressFamily.InterNetwork);
        await client.ConnectAsync(server);
        var stream = client.GetStream();

        await stream.WriteAsync(Bytes(Options("discarded") + Invite("kept")));
        var received = await recorder.NextAsync();
        await classifier.ClassifiedAsync(2);

        Assert.Equal("kept", CallIdOf(received.Data));
        Assert.False(recorder.TryTake(out _));
    }

    [Fact]
    public void Constructor_ZeroQueueCapacity_Throws()
    {
        var options = new SipTransportOptions { InboundLowQueueCapacity = 0 };

        Assert.Throws<ArgumentOutOfRangeException>(() => new SipTransportLayer(options, new InboundRecorder().HandleAsync, TimeProvider.System, new CapturingLoggerFactory()));
    }

    private static async Task<SipTransportLayer> StartAsync(CountingClassifier classifier, GatedHandler handler, int lowCapacity, CapturingLoggerFactory? logs = null, int normalCapacity = 64)
    {
        var options = new SipTransportOptions
        {
            ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            EnableTcp = false,
            InboundClassifier = classifier,
            InboundLowQueueCapacity = lowCapacity,
            InboundNormalQueueCapacity = normalCapacity,

            // One worker: these tests hold the first message's handler and look at the order of the rest.
            ProcessingConcurrency = 1,
        };
        var layer = new SipTransportLayer(options, handler.HandleAsync, TimeProvider.System, logs ?? new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        return layer;
    }

    private static UdpClient PeerFor(SipTransportLayer layer, out IPEndPoint server)
    {
        server = layer.GetLocalEndPoint(SipTransportProtocol.Udp, AddressFamily.InterNetwork)!.Value.Address;
        return new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
    }

    /// <summary>Holds the first message's handler call until released, and records every message in handling order.</summary>
    private sealed class GatedHandler
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _lock = new();
        private readonly List<byte[]> _handled = [];
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

        public async ValueTask HandleAsync(SipInboundMessage message)
        {
            _entered.TrySetResult();
            await _gate.Task;
            lock (_lock)
            {
                _handled.Add(message.Data.ToArray());
                foreach (var waiter in _waiters.Where(w => w.Count <= _handled.Count))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }

        public Task FirstEnteredAsync() => _entered.Task.WaitAsync(InboundRecorder.Timeout);

        public void Release() => _gate.TrySetResult();

        public async Task<IReadOnlyList<byte[]>> HandledAsync(int count)
        {
            Task reached;
            lock (_lock)
            {
                var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_handled.Count >= count)
                {
                    source.SetResult();
                }
                else
                {
                    _waiters.Add((count, source));
                }

                reached = source.Task;
            }

            await reached.WaitAsync(InboundRecorder.Timeout);
            lock (_lock)
            {
                return [.. _handled];
            }
        }
    }
}
