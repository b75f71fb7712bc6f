using Intake.Server.Dispatch;
using Intake.Server.Storage;
using Intake.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Server.Tests.Dispatch;

public sealed class DispatchPushTests
{
    [Fact]
    public async Task Dispatch_SinkRefusesThenAccepts_EveryEventDeliveredInOrder()
    {
        await using var sink = await TestSink.StartAsync();
        sink.State.RefuseFor(TimeSpan.FromSeconds(3));
        await using var host = await ApiTestHost.StartAsync(Settings(sink.Url));

        await host.AppendManyAsync(120);
        var appendDuringRefusal = host.AppendManyAsync(80, "c2");
        await appendDuringRefusal;

        Assert.True(await sink.WaitForStoredAsync(200, TimeSpan.FromSeconds(20)), $"sink stored up to {sink.State.Highest}");
        Assert.True(sink.State.Refused > 0);
        Assert.Equal(0, sink.State.Gaps);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), sink.State.Stored);
        AssertInOrderWithDuplicatesOnlyOfStored(sink.State.Submitted);
        await AssertCursorAsync(host, sink.Url, 200);
        var status = Assert.Single(host.Services.GetRequiredService<IDispatchStatus>().GetSinks());
        Assert.Equal(0UL, status.Lag);
    }

    [Fact]
    public async Task Dispatch_SinkDownFor30Seconds_DeliversEverythingWhenItReturns()
    {
        int port;
        var state = new TestSink.SinkState();
        await using (var probe = await TestSink.StartAsync(state: state))
        {
            port = probe.Port;
        }

        // The sink's port is closed: connections are refused, not answered.
        await using var host = await ApiTestHost.StartAsync(Settings($"http://127.0.0.1:{port}"));
        var started = TimeProvider.System.GetTimestamp();
        await host.AppendManyAsync(50);
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
        {
            await host.AppendManyAsync(1, "during-outage");
            await Task.Delay(500);
        }

        var total = host.Events.LatestSequence;
        var lagging = Assert.Single(host.Services.GetRequiredService<IDispatchStatus>().GetSinks());
        Assert.Equal(total, lagging.Lag);
        Assert.NotNull(lagging.LastError);

        await using var sink = await TestSink.StartAsync(port, state);
        Assert.True(await sink.WaitForStoredAsync(total, TimeSpan.FromSeconds(8)), $"sink stored up to {state.Highest} of {total}");
        Assert.Equal(0, state.Gaps);
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (ulong)i), state.Stored);
        AssertInOrderWithDuplicatesOnlyOfStored(state.Submitted);
    }

    [Fact]
    public async Task Dispatch_ServerRestart_ResumesFromDurableCursor()
    {
        await using var sink = await TestSink.StartAsync();
        var directory = new Storage.TempDirectory();
        var first = await ApiTestHost.StartAsync(Settings(sink.Url), directory: directory);
        await first.AppendManyAsync(50);
        Assert.True(await sink.WaitForStoredAsync(50, TimeSpan.FromSeconds(10)));
        await first.StopAsync();

        await using var second = await ApiTestHost.StartAsync(Settings(sink.Url), directory: directory);
        await second.AppendManyAsync(10);
        Assert.True(await sink.WaitForStoredAsync(60, TimeSpan.FromSeconds(10)));

        var submitted = sink.State.Submitted;
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (ulong)i), submitted);
    }

    private static Dictionary<string, string?> Settings(string url) => new()
    {
        ["Dispatch:Endpoints:0"] = url,
        ["Dispatch:RetryBaseDelaySeconds"] = "0.05",
        ["Dispatch:RetryMaxDelaySeconds"] = "0.5",
        ["Dispatch:BreakDurationSeconds"] = "1",
        ["Dispatch:AttemptTimeoutSeconds"] = "2",
    };

    /// <summary>Each Submit is either the next sequence or a repeat of one already stored: never ahead, never out of order.</summary>
    private static void AssertInOrderWithDuplicatesOnlyOfStored(List<ulong> submitted)
    {
        ulong highest = 0;
        foreach (var sequence in submitted)
        {
            Assert.True(sequence <= highest + 1, $"sequence {sequence} submitted after {highest}");
            highest = Math.Max(highest, sequence);
        }
    }

    private static async Task AssertCursorAsync(ApiTestHost host, string sink, ulong expected)
    {
        var cursors = host.Services.GetRequiredService<IDispatchCursorStore>();
        var started = TimeProvider.System.GetTimestamp();
        while (await cursors.GetCursorAsync(sink) != expected && TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Equal(expected, await cursors.GetCursorAsync(sink));
    }
}
