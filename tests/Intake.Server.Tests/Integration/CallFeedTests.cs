using System.Diagnostics;
using System.Text.Json;
using Grpc.Core;
using Intake.Server.Tests.Dispatch;
using Kind = Intake.Contracts.V1.CallEvent.KindOneofCase;

using Intake.Server.Tests.Clients;

namespace Intake.Server.Tests.Integration;

/// <summary>The call feed over SQLite (the default store), plus dispatch push, API keys, location and the Python client.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CallFeedTests : CallFeedSuite
{

    protected override Task<string[]> StorageArgsAsync() => Task.FromResult<string[]>(["--Storage:Provider=sqlite"]);

    [Fact]
    public async Task DispatchSink_RefusesFor30SecondsThenAccepts_EverySippCallEventDeliveredInOrder()
    {
        // The only 30 s test of the suite: a dispatch system down for half a minute while calls come in.
        const int Calls = 3;
        await using var sink = await TestSink.StartAsync();
        sink.State.RefuseFor(TimeSpan.FromSeconds(30));
        var refusing = Stopwatch.StartNew();
        await using var server = await StartServerAsync(await StorageArgsAsync(), null, $"--Dispatch:Endpoints:0={sink.Url}");
        await using var feed = FeedWatcher.Start(server.GrpcPort);

        // Two calls nobody answers, then one the operator answers.
        var abandoned = await Sipp.RunAsync("uac_call.xml", FeedPeers.CallerArgs(Calls - 1, 500), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var phone = FeedPeers.StartOperator(server);
        await FeedPeers.WaitForOperatorAvailableAsync(feed);
        var answered = await Sipp.RunAsync("uac_until_bye.xml", FeedPeers.CallerArgs(1, 0), FeedPeers.Target(server), FeedPeers.SippTimeout);
        phone.Stop();
        await phone.WaitAsync(FeedPeers.SippTimeout);
        var events = await feed.WaitForAsync(e => FeedPeers.RecordingsSeen(e, Calls), FeedPeers.EventTimeout, $"{Calls} recordings");
        var storedWhileRefusing = sink.State.Stored.Count;
        var callsDoneAfter = refusing.Elapsed;
        var delivered = await sink.WaitForStoredAsync(events[^1].Sequence, TimeSpan.FromSeconds(60));

        Assert.True(answered.ExitCode == 0, answered.Output + "\n--- server ---\n" + server.Output);
        Assert.True(abandoned.ExitCode == 0, abandoned.Output + "\n--- server ---\n" + server.Output);
        Assert.True(callsDoneAfter < TimeSpan.FromSeconds(30), $"the calls took {callsDoneAfter}: the sink was no longer refusing");
        Assert.Equal(0, storedWhileRefusing);
        Assert.True(delivered, $"sink stored up to {sink.State.Highest} of {events[^1].Sequence}\n{server.Output}");
        Assert.True(refusing.Elapsed >= TimeSpan.FromSeconds(30));
        Assert.True(sink.State.Refused > 0);
        Assert.Equal(0, sink.State.Gaps);
        Assert.Equal(events.Select(e => e.Sequence), sink.State.Stored.Take(events.Count));
        var kinds = FeedPeers.OfferedCalls(events).Select(id => FeedPeers.OfCall(events, id)[^2].Ended.Outcome);
        Assert.Equal(["abandoned", "abandoned", "answered"], kinds);
    }

    [Fact]
    public async Task Watch_ApiKeysSet_NoKeyAndWrongKeyUnauthenticated_RightKeyGetsTheCall()
    {
        await using var server = await StartServerAsync(await StorageArgsAsync(), null, "--Grpc:ApiKeys:0=secret");
        await using var anonymous = FeedWatcher.Start(server.GrpcPort);
        await using var wrong = FeedWatcher.Start(server.GrpcPort, apiKey: "guess");
        await using var right = FeedWatcher.Start(server.GrpcPort, apiKey: "secret");

        var caller = await Sipp.RunAsync("uac_call.xml", FeedPeers.CallerArgs(1, 200), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var events = await right.WaitForAsync(e => e.Any(x => x.KindCase == Kind.Offered), FeedPeers.EventTimeout, "offered");

        Assert.True(caller.ExitCode == 0, caller.Output);
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(await anonymous.WaitForEndAsync(TimeSpan.FromSeconds(10))).StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(await wrong.WaitForEndAsync(TimeSpan.FromSeconds(10))).StatusCode);
        Assert.Empty(anonymous.Events);
        Assert.Empty(wrong.Events);
        Assert.Equal("19", events.First(e => e.KindCase == Kind.Offered).Offered.DialledNumber);
        Assert.Null(right.Failure);
    }

    [Fact]
    public async Task Watch_SippCallWithPidfLo_OfferedCarriesLocationAndAssertedIdentityDespitePrivacy()
    {
        await using var server = await StartServerAsync(await StorageArgsAsync());
        await using var feed = FeedWatcher.Start(server.GrpcPort);

        var caller = await Sipp.RunAsync("uac_pidf_lo.xml", FeedPeers.CallerArgs(1, 0), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var events = await feed.WaitForAsync(e => e.Any(x => x.KindCase == Kind.Ended), FeedPeers.EventTimeout, "ended");

        Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
        var offered = events.First(e => e.KindCase == Kind.Offered).Offered;
        Assert.Contains("id", offered.Privacy);
        Assert.Contains("+212600001", offered.AssertedIdentity, StringComparison.Ordinal);
        Assert.StartsWith("sip:", offered.AssertedIdentity, StringComparison.Ordinal);
        var location = offered.Location;
        Assert.NotNull(location);
        Assert.Equal("by-value", location.Conveyance);
        Assert.Equal("cid:caller-loc@127.0.0.1", location.ReferenceUri);
        Assert.True(location.HasPoint);
        Assert.Equal(33.5731, location.Latitude, 6);
        Assert.Equal(-7.5898, location.Longitude, 6);
        Assert.Equal("MA", location.Civic["country"]);
        Assert.Equal("Casablanca", location.Civic["A2"]);
        Assert.Equal("120", location.Civic["HNO"]);
        Assert.Equal("GPS", location.Method);
        Assert.Contains("<gml:pos>33.5731 -7.5898</gml:pos>", location.PidfLo, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_SippCallerPressesKey_OneDtmfEventOfTheCallerLegBeforeEnded()
    {
        await using var server = await StartServerAsync(await StorageArgsAsync());
        await using var feed = FeedWatcher.Start(server.GrpcPort);

        var caller = await Sipp.RunAsync("uac_dtmf.xml", FeedPeers.CallerArgs(1, 1500), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var events = await feed.WaitForAsync(e => e.Any(x => x.KindCase == Kind.Ended), FeedPeers.EventTimeout, "ended");

        Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
        var call = FeedPeers.OfCall(events, Assert.Single(FeedPeers.OfferedCalls(events)));
        // One event for the digit although its end packet came three times.
        var dtmf = Assert.Single(call, e => e.KindCase == Kind.Dtmf).Dtmf;
        Assert.Equal("1", dtmf.Digit);
        Assert.Equal("caller", dtmf.Leg);
        // The digit follows the ACK at once, so it may come before the ACD's queued event; never after the end.
        var kinds = call.Select(e => e.KindCase).ToList();
        Assert.Equal(Kind.Offered, kinds[0]);
        Assert.InRange(kinds.IndexOf(Kind.Dtmf), 1, kinds.IndexOf(Kind.Ended) - 1);
    }

    [Fact]
    public async Task WatchFeedScript_RealServerDuringSippCall_PrintsOfferedAndEndedOfThatCall()
    {
        await using var server = await StartServerAsync(await StorageArgsAsync(), null, "--Grpc:ApiKeys:0=py-key");
        await using var feed = FeedWatcher.Start(server.GrpcPort, apiKey: "py-key");
        using var script = StartScript(server.GrpcPort, "--kind", "offered", "--kind", "ended", "--count", "2", "--api-key", "py-key");
        var lines = ReadLinesAsync(script);

        var caller = await Sipp.RunAsync("uac_call.xml", FeedPeers.CallerArgs(1, 1000), FeedPeers.Target(server), FeedPeers.SippTimeout);
        var (output, stderr) = await lines;
        var events = await feed.WaitForAsync(e => e.Any(x => x.KindCase == Kind.Ended), FeedPeers.EventTimeout, "ended");

        Assert.True(caller.ExitCode == 0, caller.Output);
        Assert.True(script.ExitCode == 0, $"watch_feed.py exited {script.ExitCode}: {stderr}");
        var printed = output.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, printed.Count);
        var callId = Assert.Single(FeedPeers.OfferedCalls(events));
        Assert.All(printed, e => Assert.Equal(callId, e.GetProperty("call_id").GetString()));
        Assert.Equal("+212600001", printed[0].GetProperty("offered").GetProperty("caller_number").GetString());
        Assert.Equal("abandoned", printed[1].GetProperty("ended").GetProperty("outcome").GetString());
        var sequences = FeedPeers.OfCall(events, callId).Where(e => e.KindCase is Kind.Offered or Kind.Ended).Select(e => e.Sequence.ToString());
        Assert.Equal(sequences, printed.Select(e => e.GetProperty("sequence").GetString()));
    }

    private static Process StartScript(int port, params string[] args) => WatchFeedScript.Start(port, 60, args);

    private static Task<(List<string> Lines, string Stderr)> ReadLinesAsync(Process script) =>
        WatchFeedScript.ReadLinesAsync(script, TimeSpan.FromSeconds(90));
}
