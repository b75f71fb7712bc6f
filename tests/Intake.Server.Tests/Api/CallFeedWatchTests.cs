using Grpc.Core;
using Intake.Contracts.V1;
using Intake.Server.Events;
using Intake.Server.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Server.Tests.Api;

public sealed class CallFeedWatchTests
{
    [Fact]
    public async Task Watch_ConcurrentAppendsDuringReplay_EveryEventExactlyOnceInOrder()
    {
        await using var host = await ApiTestHost.StartAsync();
        await host.AppendManyAsync(600);
        const int Total = 1200;
        using var cts = TestTimeouts.Cancel();
        var client = new CallFeed.CallFeedClient(host.Channel);

        // The appender runs while the replay (600 stored events, batches of 500) is in progress.
        var appender = Task.Run(() => host.AppendManyAsync(Total - 600, "c2"), cts.Token);
        using var call = client.Watch(new WatchRequest { AfterSequence = 0 }, cancellationToken: cts.Token);
        var received = await ReadSequencesAsync(call, Total, cts.Token);
        await appender;

        Assert.Equal(Enumerable.Range(1, Total).Select(i => (ulong)i), received);
    }

    [Fact]
    public async Task Watch_ReconnectWithLastSequence_EveryEventExactlyOnce()
    {
        await using var host = await ApiTestHost.StartAsync();
        using var cts = TestTimeouts.Cancel();
        var client = new CallFeed.CallFeedClient(host.Channel);
        await host.AppendManyAsync(50);
        var appender = Task.Run(() => host.AppendManyAsync(250, "c2"), cts.Token);

        var received = new List<ulong>();
        using (var first = client.Watch(new WatchRequest(), cancellationToken: cts.Token))
        {
            received.AddRange(await ReadSequencesAsync(first, 120, cts.Token));
        }

        // The first stream is gone (disposed mid-feed, like a dropped connection); resume from the last sequence seen.
        using (var second = client.Watch(new WatchRequest { AfterSequence = received[^1] }, cancellationToken: cts.Token))
        {
            received.AddRange(await ReadSequencesAsync(second, 300 - received.Count, cts.Token));
        }

        await appender;
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (ulong)i), received);
    }

    [Fact]
    public async Task Watch_SlowConsumer_EndedWithResourceExhaustedWhileAppendsContinue()
    {
        await using var host = await ApiTestHost.StartAsync(new Dictionary<string, string?> { ["Grpc:WatchBufferCapacity"] = "20" });
        using var cts = TestTimeouts.Cancel();
        var client = new CallFeed.CallFeedClient(host.Channel);
        var hub = host.Services.GetRequiredService<EventHub>();
        await host.AppendManyAsync(1);
        using var call = client.Watch(new WatchRequest(), cancellationToken: cts.Token);
        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(1, hub.SubscriberCount);

        // Large events fill the HTTP/2 windows quickly; the client reads nothing more while they are appended.
        var bulky = new string('x', 8 * 1024);
        var started = TimeProvider.System.GetTimestamp();
        for (var i = 0; i < 300; i++)
        {
            var evt = TestEvents.Offered($"big-{i}");
            evt.Offered.Location.PidfLo = bulky;
            await host.Events.AppendAsync(evt, cts.Token);
        }

        var appendTime = TimeProvider.System.GetElapsedTime(started);
        Assert.True(appendTime < TimeSpan.FromSeconds(20), $"appends took {appendTime}");
        Assert.Equal(0, hub.SubscriberCount);

        var received = new List<ulong> { 1 };
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext(cts.Token))
            {
                received.Add(call.ResponseStream.Current.Sequence);
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var resume = ulong.Parse(System.Text.RegularExpressions.Regex.Match(error.Status.Detail, "resume from sequence ([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(received[^1], resume);

        // Resuming where the server said gives the rest: every event exactly once overall.
        using var resumed = client.Watch(new WatchRequest { AfterSequence = resume }, cancellationToken: cts.Token);
        received.AddRange(await ReadSequencesAsync(resumed, 301 - received.Count, cts.Token));
        Assert.Equal(Enumerable.Range(1, 301).Select(i => (ulong)i), received);
    }

    [Fact]
    public async Task Watch_QueueAndKindFilters_SendsOnlyMatchingEventsAndOperatorEvents()
    {
        await using var host = await ApiTestHost.StartAsync();
        using var cts = TestTimeouts.Cancel();
        await host.Events.AppendAsync(TestEvents.Offered("p1", "police"));
        await host.Events.AppendAsync(TestEvents.Offered("f1", "fire"));
        await host.Events.AppendAsync(TestEvents.Queued("p1", "police"));
        await host.Events.AppendAsync(TestEvents.Answered("f1"));
        await host.Events.AppendAsync(TestEvents.OperatorState("alice", "available"));
        await host.Events.AppendAsync(TestEvents.Answered("p1"));
        var request = new WatchRequest { Queues = { "police" }, Kinds = { "offered", "answered", "operator_state" } };

        using var call = new CallFeed.CallFeedClient(host.Channel).Watch(request, cancellationToken: cts.Token);
        var received = new List<CallEvent>();
        while (received.Count < 3 && await call.ResponseStream.MoveNext(cts.Token))
        {
            received.Add(call.ResponseStream.Current);
        }

        Assert.Equal([1UL, 5UL, 6UL], received.Select(e => e.Sequence));
        Assert.Equal(CallEvent.KindOneofCase.OperatorState, received[1].KindCase);
    }

    [Fact]
    public async Task Watch_UnknownKind_InvalidArgument()
    {
        await using var host = await ApiTestHost.StartAsync();
        using var cts = TestTimeouts.Cancel();
        using var call = new CallFeed.CallFeedClient(host.Channel).Watch(new WatchRequest { Kinds = { "exploded" } }, cancellationToken: cts.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("exploded", error.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<List<ulong>> ReadSequencesAsync(AsyncServerStreamingCall<CallEvent> call, int count, CancellationToken cancellationToken)
    {
        var result = new List<ulong>(count);
        while (result.Count < count && await call.ResponseStream.MoveNext(cancellationToken))
        {
            result.Add(call.ResponseStream.Current.Sequence);
        }

        return result;
    }
}
