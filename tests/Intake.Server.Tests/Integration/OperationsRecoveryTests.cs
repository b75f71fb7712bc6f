using Intake.Contracts.V1;
using Xunit.Abstractions;

namespace Intake.Server.Tests.Integration;

/// <summary>A crash (kill -9) mid-call: the next start closes the calls it left as interrupted and announces them.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperationsRecoveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Restart_AfterKillWithCallsInProgress_CallsEndedInterruptedWithEventsAndRecordings()
    {
        var data = Path.Combine(Path.GetTempPath(), "intake-recovery-" + Guid.NewGuid().ToString("N")[..12]);
        var first = await IntakeServerProcess.StartAsync(dataDirectory: data);
        var sipp = Sipp.Start("uac_call.xml", [.. MediaCalls.CallerArgs(holdMs: 20000, calls: 2), "-max_socket", "2000"], MediaCalls.Target(first));
        try
        {
            await MediaCalls.WaitForLinesAsync(first, "recording to", 2, TimeSpan.FromSeconds(10));
            // The offered events are committed by the event log's writer shortly after the answer, and 2 s of audio
            // leave a recording well past the at most ~0.8 s a crash may cut from its end (flush every 0.5 s + 0.3 s reorder).
            await Task.Delay(TimeSpan.FromSeconds(2));
            await first.StopAsync(NativeSignals.SigKill, TimeSpan.FromSeconds(10));
        }
        finally
        {
            sipp.Stop();
            await sipp.WaitAsync(MediaCalls.SippTimeout);
            await first.DisposeAsync();
        }

        await using var second = await IntakeServerProcess.StartAsync(dataDirectory: data);
        using var channel = RawCalls.Channel(second);
        var calls = new global::Intake.Contracts.V1.Calls.CallsClient(channel);
        var feed = await RawCalls.FeedUntilAsync(
            channel,
            e => e.Count(x => x.KindCase == CallEvent.KindOneofCase.Ended) >= 2 && e.Count(x => x.KindCase == CallEvent.KindOneofCase.Recording) >= 2,
            TimeSpan.FromSeconds(15));
        var list = await calls.ListCallsAsync(new ListCallsRequest());

        output.WriteLine(string.Join('\n', second.Output.Split('\n').Where(l => l.Contains("interrupted", StringComparison.Ordinal) || l.Contains("Recovery", StringComparison.Ordinal))));
        Assert.Equal(2, list.Calls.Count);
        foreach (var call in list.Calls)
        {
            Assert.Equal("interrupted", call.State);
            Assert.Equal("interrupted", call.Outcome);
            Assert.NotNull(call.EndedAt);
            Assert.Equal(call.CallId, call.RecordingId);
            var full = await calls.GetCallAsync(new GetCallRequest { CallId = call.CallId });
            var ended = Assert.Single(full.Events, e => e.KindCase == CallEvent.KindOneofCase.Ended).Ended;
            Assert.Equal("server", ended.HungUpBy);
            var recording = Assert.Single(full.Events, e => e.KindCase == CallEvent.KindOneofCase.Recording).Recording;
            Assert.True(recording.DurationSeconds > 0.5, $"recording of {recording.DurationSeconds} s");
            Assert.Equal(new FileInfo(Path.Combine(data, "recordings", call.CallId + ".wav")).Length, (long)recording.SizeBytes);
            Assert.Contains(feed, e => e.CallId == call.CallId && e.KindCase == CallEvent.KindOneofCase.Ended && e.Ended.Outcome == "interrupted");
        }

        Assert.Contains("2 call(s) interrupted by the previous run closed, 2 recording(s) published", second.Output);
    }
}
