using System.Diagnostics;
using System.Text.RegularExpressions;
using V1 = Intake.Contracts.V1;
using Kind = Intake.Contracts.V1.CallEvent.KindOneofCase;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// Issue 5 over a real socket: SIPp calls into the real server process and a consumer on CallFeed.Watch. Run once per
/// event store (SQLite, PostgreSQL) by the derived classes.
/// </summary>
public abstract partial class CallFeedSuite
{
    /// <summary>Server arguments selecting the event store; the same arguments are used again after a restart.</summary>
    protected abstract Task<string[]> StorageArgsAsync();

    /// <summary>Starts the server and waits for its gRPC listener too, which opens after the SIP one the harness waits for.</summary>
    protected async Task<IntakeServerProcess> StartServerAsync(string[] storage, string? dataDirectory = null, params string[] more)
    {
        var server = await IntakeServerProcess.StartAsync([.. FeedPeers.ServerArgs, .. storage, .. more], dataDirectory);
        try
        {
            await server.WaitForOutputAsync($"Now listening on: http://127.0.0.1:{server.GrpcPort}", TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Watch_SippCallAnsweredByOperator_OfferedQueuedRingingAnsweredEndedRecordingInOrder()
    {
        await using var server = await StartServerAsync(await StorageArgsAsync());
        await using var feed = FeedWatcher.Start(server.GrpcPort);
        var phone = FeedPeers.StartOperator(server);
        await FeedPeers.WaitForOperatorAvailableAsync(feed);

        // The operator hangs up after 2.5 s and Intake then sends the caller its BYE.
        var caller = await Sipp.RunAsync("uac_until_bye.xml", FeedPeers.CallerArgs(1, 0), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var events = await feed.WaitForAsync(e => FeedPeers.RecordingsSeen(e, 1), FeedPeers.EventTimeout, "recording event");
        phone.Stop();
        await phone.WaitAsync(FeedPeers.SippTimeout);

        Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
        FeedPeers.AssertGapFreeFromOne(events);
        var callId = Assert.Single(FeedPeers.OfferedCalls(events));
        var call = FeedPeers.OfCall(events, callId);
        Assert.Equal([Kind.Offered, Kind.Queued, Kind.Ringing, Kind.Answered, Kind.Ended, Kind.Recording], call.Select(e => e.KindCase));
        var offered = call[0].Offered;
        Assert.Matches(@"^\+212\d+$", offered.CallerNumber);
        Assert.Equal("19", offered.DialledNumber);
        Assert.Equal("police", offered.Queue);
        Assert.StartsWith("udp:127.0.0.1:", offered.SourceAddress, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(offered.SipCallId));
        Assert.Equal("police", call[1].Queued.Queue);
        Assert.Equal(FeedPeers.Operator, call[2].Ringing.Operator);
        Assert.Equal(FeedPeers.Operator, call[3].Answered.Operator);
        Assert.Equal("answered", call[4].Ended.Outcome);
        Assert.Equal(FeedPeers.Operator, call[4].Ended.Operator);
        Assert.True(call[4].Ended.TalkSeconds > 1, $"talk {call[4].Ended.TalkSeconds} s");
        Assert.Matches(Sha256Hex(), call[5].Recording.Sha256);
        Assert.True(call[5].Recording.SizeBytes > 44, $"recording of {call[5].Recording.SizeBytes} bytes");
        Assert.All(call.Zip(call.Skip(1)), p => Assert.True(p.First.Time.ToDateTimeOffset() <= p.Second.Time.ToDateTimeOffset()));
    }

    [Fact]
    public async Task Watch_SippCallWithoutOperator_OfferedQueuedAbandonedEndedRecording()
    {
        await using var server = await StartServerAsync(await StorageArgsAsync());
        await using var feed = FeedWatcher.Start(server.GrpcPort);

        var caller = await Sipp.RunAsync("uac_call.xml", FeedPeers.CallerArgs(1, 1000), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var events = await feed.WaitForAsync(e => FeedPeers.RecordingsSeen(e, 1), FeedPeers.EventTimeout, "recording event");

        Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
        FeedPeers.AssertGapFreeFromOne(events);
        var call = FeedPeers.OfCall(events, Assert.Single(FeedPeers.OfferedCalls(events)));
        Assert.Equal([Kind.Offered, Kind.Queued, Kind.Abandoned, Kind.Ended, Kind.Recording], call.Select(e => e.KindCase));
        Assert.Equal("+212600001", call[0].Offered.CallerNumber);
        Assert.Equal("Caller 1", call[0].Offered.CallerDisplayName);
        Assert.Equal("queued", call[2].Abandoned.Stage);
        Assert.InRange(call[2].Abandoned.WaitSeconds, 0.5, 10);
        Assert.Equal("abandoned", call[3].Ended.Outcome);
        Assert.Equal("caller", call[3].Ended.HungUpBy);
        Assert.Matches(Sha256Hex(), call[4].Recording.Sha256);
    }

    [Fact]
    public async Task Watch_CallerHangsUpWhileRegisteredPhoneIsSilent_EndedAndRecordingWithoutWaitingForThePhone()
    {
        await using var server = await StartServerAsync(await StorageArgsAsync());
        await using var feed = FeedWatcher.Start(server.GrpcPort);
        var phone = FeedPeers.StartOperator(server);
        await FeedPeers.WaitForOperatorAvailableAsync(feed);

        // The phone stays registered but answers nothing more: Intake's INVITE to it gets no response at all.
        phone.Stop();
        await phone.WaitAsync(FeedPeers.SippTimeout);
        var caller = await Sipp.RunAsync("uac_call.xml", FeedPeers.CallerArgs(1, 1000), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var hungUp = Stopwatch.StartNew();
        var events = await feed.WaitForAsync(e => FeedPeers.RecordingsSeen(e, 1), FeedPeers.EventTimeout, "recording event");

        // Before the fix the caller's end waited for the CANCEL to the silent phone: 64*T1 (32 s) for its INVITE first.
        Assert.True(hungUp.Elapsed < TimeSpan.FromSeconds(5), $"ended and recording took {hungUp.Elapsed}");
        Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
        var call = FeedPeers.OfCall(events, Assert.Single(FeedPeers.OfferedCalls(events)));
        Assert.Equal([Kind.Offered, Kind.Queued, Kind.Ringing, Kind.Abandoned, Kind.Ended, Kind.Recording], call.Select(e => e.KindCase));
        Assert.Equal("ringing", call[3].Abandoned.Stage);
        Assert.Equal("abandoned", call[4].Ended.Outcome);
    }

    [Fact]
    public async Task Watch_ReconnectWithLastSequenceWhileCallsGoOn_EveryEventExactlyOnce()
    {
        const int Calls = 6;
        await using var server = await StartServerAsync(await StorageArgsAsync());

        // Two calls a second, each held 1 s: the first consumer drops while calls are still arriving and ending.
        var callers = Sipp.Start("uac_call.xml", FeedPeers.CallerArgs(Calls, 1000, rate: 2), FeedPeers.Target(server));
        var received = new List<V1.CallEvent>();
        await using (var first = FeedWatcher.Start(server.GrpcPort))
        {
            received.AddRange(await first.WaitForAsync(e => e.Count >= 7, FeedPeers.EventTimeout, "7 events"));
        }

        // Some events happen while no one watches; the second consumer resumes from the last sequence it had.
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        await using (var second = FeedWatcher.Start(server.GrpcPort, afterSequence: received[^1].Sequence))
        {
            var rest = await second.WaitForAsync(
                e => FeedPeers.RecordingsSeen(received.Concat(e), Calls), FeedPeers.EventTimeout, $"{Calls} recordings");
            received.AddRange(rest);
        }

        var run = await callers.WaitAsync(FeedPeers.SippTimeout);
        await using var full = FeedWatcher.Start(server.GrpcPort);
        var stored = await full.WaitForAsync(e => e.Count >= received.Count, FeedPeers.EventTimeout, "the whole log");

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        FeedPeers.AssertGapFreeFromOne(received);
        Assert.Equal(stored.Select(e => (e.Sequence, e.KindCase, e.CallId)), received.Select(e => (e.Sequence, e.KindCase, e.CallId)));
        var calls = FeedPeers.OfferedCalls(received);
        Assert.Equal(Calls, calls.Count);
        Assert.All(calls, id => Assert.Equal(
            [Kind.Offered, Kind.Queued, Kind.Abandoned, Kind.Ended, Kind.Recording], FeedPeers.OfCall(received, id).Select(e => e.KindCase)));
    }

    [Fact]
    public async Task Watch_AfterServerRestart_EventsKeptAndNewEventsContinueTheSequence()
    {
        var storage = await StorageArgsAsync();
        List<V1.CallEvent> before;
        string dataDirectory;
        await using (var server = await StartServerAsync(storage))
        {
            dataDirectory = server.DataDirectory;
            await using var feed = FeedWatcher.Start(server.GrpcPort);
            var caller = await Sipp.RunAsync("uac_call.xml", FeedPeers.CallerArgs(2, 500), FeedPeers.Target(server), FeedPeers.SippTimeout);
            before = await feed.WaitForAsync(e => FeedPeers.RecordingsSeen(e, 2), FeedPeers.EventTimeout, "2 recordings");
            Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
            await feed.DisposeAsync();
            Assert.Equal(0, await server.StopAsync(NativeSignals.SigTerm, TimeSpan.FromSeconds(30)));
        }

        await using var restarted = await StartServerAsync(storage, dataDirectory);
        await using var replay = FeedWatcher.Start(restarted.GrpcPort);
        await replay.WaitForAsync(e => e.Count >= before.Count, FeedPeers.EventTimeout, "the events from before the restart");
        var again = await Sipp.RunAsync("uac_call.xml", FeedPeers.CallerArgs(1, 500), FeedPeers.Target(restarted), FeedPeers.SippTimeout);
        var after = await replay.WaitForAsync(e => FeedPeers.RecordingsSeen(e, 3), FeedPeers.EventTimeout, "the new call's recording");

        Assert.True(again.ExitCode == 0, again.Output + "\n--- server ---\n" + restarted.Output);
        FeedPeers.AssertGapFreeFromOne(after);
        Assert.Equal(
            before.Select(e => (e.Sequence, e.KindCase, e.CallId, e.Time)),
            after.Take(before.Count).Select(e => (e.Sequence, e.KindCase, e.CallId, e.Time)));
        var newCall = FeedPeers.OfferedCalls(after).Last();
        Assert.DoesNotContain(newCall, FeedPeers.OfferedCalls(before));
        Assert.True(FeedPeers.OfCall(after, newCall)[0].Sequence > before[^1].Sequence);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
