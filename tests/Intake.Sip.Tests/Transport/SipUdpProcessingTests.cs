using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Intake.Sip.Transport;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

/// <summary>The UDP processing workers: calls in parallel, each call's messages one at a time and in arrival order.</summary>
public sealed class SipUdpProcessingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static (string CallId, string Marker) Parse(ReadOnlySpan<byte> data)
    {
        var text = Encoding.ASCII.GetString(data);
        string Header(string name)
        {
            var start = text.IndexOf(name + ": ", StringComparison.Ordinal) + name.Length + 2;
            return text[start..text.IndexOf('\r', start)];
        }

        // The Via branch carries the test's marker: "z9hG4bK-<marker>".
        return (Header("Call-ID"), Header("Via")[(Header("Via").IndexOf("branch=z9hG4bK-", StringComparison.Ordinal) + 15)..]);
    }

    private static string Message(string callId, string marker) => Options(marker).Replace($"Call-ID: {marker}", $"Call-ID: {callId}", StringComparison.Ordinal);

    private static async Task<(SipTransportLayer Layer, UdpClient Peer, IPEndPoint Server)> StartAsync(SipInboundHandler handler, CountingClassifier? classifier = null, int concurrency = 4)
    {
        var options = new SipTransportOptions
        {
            ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            EnableTcp = false,
            ProcessingConcurrency = concurrency,
            InboundClassifier = classifier ?? new CountingClassifier(_ => SipInboundPriority.High),
        };
        var layer = new SipTransportLayer(options, handler, TimeProvider.System, new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        var server = layer.GetLocalEndPoint(SipTransportProtocol.Udp, AddressFamily.InterNetwork)!.Value.Address;
        return (layer, new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)), server);
    }

    [Fact]
    public async Task Workers_OneCallsHandlerStuck_OtherCallsHandledMeanwhileAndItsOwnInOrderAfter()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuckEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new ConcurrentQueue<(string CallId, string Marker)>();
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask Handle(SipInboundMessage message)
        {
            var (callId, marker) = Parse(message.Data.Span);
            if (marker == "stuck-0")
            {
                stuckEntered.TrySetResult();
                await release.Task;
            }

            handled.Enqueue((callId, marker));
            if (handled.Count(h => h.CallId != "stuck") == 20)
            {
                othersDone.TrySetResult();
            }
        }

        var (layer, peer, server) = await StartAsync(Handle);
        await using var _ = layer;
        using var __ = peer;

        await peer.SendAsync(Encoding.ASCII.GetBytes(Message("stuck", "stuck-0")), server);
        await stuckEntered.Task.WaitAsync(Patience);
        for (var i = 0; i < 20; i++)
        {
            await peer.SendAsync(Encoding.ASCII.GetBytes(Message("other-" + (i % 5), "other-" + i)), server);
            if (i % 4 == 0)
            {
                await peer.SendAsync(Encoding.ASCII.GetBytes(Message("stuck", "stuck-" + ((i / 4) + 1))), server);
            }
        }

        // Twenty messages of five other calls are handled while the first call's handler is held.
        await othersDone.Task.WaitAsync(Patience);
        var whileStuck = handled.ToArray();
        release.SetResult();
        var deadline = DateTime.UtcNow + Patience;
        while (handled.Count < 26 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.DoesNotContain(whileStuck, h => h.CallId == "stuck");
        Assert.Equal(["stuck-0", "stuck-1", "stuck-2", "stuck-3", "stuck-4", "stuck-5"], handled.Where(h => h.CallId == "stuck").Select(h => h.Marker));
        for (var call = 0; call < 5; call++)
        {
            // Each other call's own messages kept their order too.
            var expected = Enumerable.Range(0, 20).Where(i => i % 5 == call).Select(i => "other-" + i);
            Assert.Equal(expected, handled.Where(h => h.CallId == "other-" + call).Select(h => h.Marker));
        }
    }

    [Fact]
    public async Task Workers_ManyMessagesOfFewCalls_NeverTwoOfOneCallAtOnce()
    {
        const int Calls = 3;
        const int PerCall = 40;
        var inHand = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var concurrentCalls = 0;
        var maxConcurrentCalls = 0;
        var handled = new ConcurrentQueue<(string CallId, string Marker)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask Handle(SipInboundMessage message)
        {
            var (callId, marker) = Parse(message.Data.Span);
            if (inHand.AddOrUpdate(callId, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            var now = Interlocked.Increment(ref concurrentCalls);
            InterlockedMax(ref maxConcurrentCalls, now);
            await Task.Delay(1);
            Interlocked.Decrement(ref concurrentCalls);
            inHand.AddOrUpdate(callId, 0, (_, n) => n - 1);
            handled.Enqueue((callId, marker));
            if (handled.Count == Calls * PerCall)
            {
                done.TrySetResult();
            }
        }

        var (layer, peer, server) = await StartAsync(Handle);
        await using var _ = layer;
        using var __ = peer;

        for (var i = 0; i < PerCall; i++)
        {
            for (var call = 0; call < Calls; call++)
            {
                await peer.SendAsync(Encoding.ASCII.GetBytes(Message("call-" + call, $"c{call}-{i}")), server);
            }
        }

        await done.Task.WaitAsync(Patience);

        Assert.Equal(0, overlaps);
        Assert.True(maxConcurrentCalls > 1, "calls were never handled in parallel");
        for (var call = 0; call < Calls; call++)
        {
            Assert.Equal(Enumerable.Range(0, PerCall).Select(i => $"c{call}-{i}"), handled.Where(h => h.CallId == "call-" + call).Select(h => h.Marker));
        }
    }

    [Fact]
    public async Task Workers_StuckCallKeepsReceiving_ItsBacklogIsBoundedAndTheRestShed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var classifier = new CountingClassifier(_ => SipInboundPriority.High);
        var handled = 0;
        async ValueTask Handle(SipInboundMessage message)
        {
            entered.TrySetResult();
            await release.Task;
            Interlocked.Increment(ref handled);
        }

        var (layer, peer, server) = await StartAsync(Handle, classifier);
        await using var _ = layer;
        using var __ = peer;

        await peer.SendAsync(Encoding.ASCII.GetBytes(Message("stuck", "first")), server);
        await entered.Task.WaitAsync(Patience);
        for (var i = 0; i < 100; i++)
        {
            await peer.SendAsync(Encoding.ASCII.GetBytes(Message("stuck", "retransmission-" + i)), server);
        }

        await classifier.ClassifiedAsync(101);
        var deadline = DateTime.UtcNow + Patience;
        while (classifier.Shed.Count < 36 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        release.SetResult();
        while (Volatile.Read(ref handled) < 65 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        // The first, then 64 waiting behind it; the other 36 went.
        Assert.Equal(36, classifier.Shed.Count);
        Assert.Equal(65, Volatile.Read(ref handled));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
