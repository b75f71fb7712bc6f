using Intake.Contracts.V1;
using Xunit.Abstractions;
using Kind = Intake.Contracts.V1.CallEvent.KindOneofCase;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// Issue 4's call flows end to end: the real server, SIPp callers and SIPp operator phones registering with digest
/// auth, checked through the gRPC feed, the operator API, SIPp's own results and the recordings.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class AcdCallFlowTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Op1001Password = "op1001-Secret!";
    private const string Op1002Password = "op1002-Secret!";
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FeedTimeout = TimeSpan.FromSeconds(20);
    private readonly List<SippProcess> _running = [];

    private static readonly string[] AcdArgs = ["--Queues:0:WrapUpSeconds=0", "--Intake:OperatorKeepAliveSeconds=0"];

    [Fact]
    public async Task TenCallers_TwoOperators_AllAnsweredInArrivalOrderWithBothSidesRecorded()
    {
        await using var server = await IntakeServerProcess.StartAsync(AcdArgs);
        using var api = new IntakeApiClient(server);
        await StartOperatorAsync(server, "op1001", Op1001Password, "uas_operator_answer.xml");
        await StartOperatorAsync(server, "op1002", Op1002Password, "uas_operator_answer.xml");

        var callers = await Sipp.RunAsync("uac_talk_until_bye.xml", CallerArgs(10), Target(server), SippTimeout);
        var events = await EventsAsync(api, server, Kind.Recording, 10);

        AssertSucceeded(callers, server);
        Assert.Equal(10, callers.SuccessfulCalls);
        var arrival = CallIds(events, Kind.Offered);
        var offeredFirst = events.Where(e => e.KindCase == Kind.Ringing).Select(e => e.CallId).Distinct().ToList();
        var answered = events.Where(e => e.KindCase == Kind.Answered).ToList();
        output.WriteLine("arrival  " + string.Join(' ', arrival));
        output.WriteLine("answered " + string.Join(' ', answered.Select(e => $"{e.CallId}({e.Answered.Operator},{e.Answered.WaitSeconds:F1}s)")));
        Assert.Equal(10, arrival.Count);
        Assert.Equal(10, answered.Count);
        // Offers go out strictly in arrival order; two phones ringing at once may answer in either order, so an
        // answer is at most one place (operators - 1) from its arrival.
        Assert.Equal(arrival, offeredFirst);
        var answerOrder = answered.Select(e => e.CallId).ToList();
        Assert.All(arrival, id => Assert.InRange(answerOrder.IndexOf(id) - arrival.IndexOf(id), -1, 1));
        Assert.Contains(answered, e => e.Answered.Operator == "op1001");
        Assert.Contains(answered, e => e.Answered.Operator == "op1002");
        Assert.DoesNotContain(events, e => e.KindCase is Kind.Abandoned or Kind.Overflowed);

        foreach (var answer in answered)
        {
            var recording = StereoRecording.Read(Path.Combine(server.DataDirectory, "recordings", answer.CallId + ".wav"));
            var (callerRms, operatorRms) = BridgedLevels(recording, answer.Answered.WaitSeconds);
            output.WriteLine($"{answer.CallId}: {recording.Duration.TotalSeconds:F1} s, while bridged caller RMS {callerRms:F0}, operator RMS {operatorRms:F0}");
            Assert.True(recording.SizesConsistent, answer.CallId);
            Assert.True(callerRms > 200, $"{answer.CallId}: caller channel RMS {callerRms:F0} while bridged");
            Assert.True(operatorRms > 200, $"{answer.CallId}: operator channel RMS {operatorRms:F0} while bridged");
        }
    }

    [Fact]
    public async Task CallerHangsUpWhileQueued_NoOperator_ReportedAbandonedWithNumberAndWait()
    {
        await using var server = await IntakeServerProcess.StartAsync(AcdArgs);
        using var api = new IntakeApiClient(server);

        var caller = await Sipp.RunAsync("uac_call.xml", CallerArgs(1, "-d", "2000"), Target(server), SippTimeout);
        var events = await EventsAsync(api, server, Kind.Ended, 1);
        var listed = await api.Calls.ListCallsAsync(new ListCallsRequest { State = "abandoned" });

        AssertSucceeded(caller, server);
        var offered = Assert.Single(events, e => e.KindCase == Kind.Offered).Offered;
        var abandoned = Assert.Single(events, e => e.KindCase == Kind.Abandoned).Abandoned;
        output.WriteLine($"abandoned {abandoned}");
        Assert.StartsWith("+21260000", offered.CallerNumber, StringComparison.Ordinal);
        Assert.Equal(offered.CallerNumber, abandoned.CallerNumber);
        Assert.Equal("queued", abandoned.Stage);
        Assert.InRange(abandoned.WaitSeconds, 1.5, 5);
        Assert.Equal("abandoned", Assert.Single(events, e => e.KindCase == Kind.Ended).Ended.Outcome);
        var call = Assert.Single(listed.Calls);
        Assert.Equal(offered.CallerNumber, call.CallerNumber);
        Assert.Equal("abandoned", call.State);
    }

    [Fact]
    public async Task NoOperatorLoggedIn_CallsOverflowToOtherCentre_WhichAnswersThem()
    {
        var centre = StartCentre(3, out var centrePort);
        await using var server = await IntakeServerProcess.StartAsync([.. AcdArgs, $"--Queues:0:OverflowUri=sip:overflow@127.0.0.1:{centrePort}"]);
        using var api = new IntakeApiClient(server);

        var callers = await Sipp.RunAsync("uac_until_bye.xml", CallerArgs(3), Target(server), SippTimeout);
        var centreRun = await WaitAsync(centre);
        var events = await EventsAsync(api, server, Kind.Ended, 3);

        AssertSucceeded(callers, server);
        AssertSucceeded(centreRun, server);
        Assert.Equal(3, callers.SuccessfulCalls);
        Assert.Equal(3, centreRun.SuccessfulCalls);
        var overflowed = events.Where(e => e.KindCase == Kind.Overflowed).Select(e => e.Overflowed).ToList();
        Assert.Equal(3, overflowed.Count);
        Assert.All(overflowed, o => Assert.Equal("no-operator", o.Reason));
        Assert.All(overflowed, o => Assert.Equal($"sip:overflow@127.0.0.1:{centrePort}", o.TargetUri));
        Assert.All(events.Where(e => e.KindCase == Kind.Ended), e => Assert.Equal("overflowed", e.Ended.Outcome));
    }

    [Fact]
    public async Task OnlyOperatorNotReady_CallOverflowsAtMaxWait()
    {
        var centre = StartCentre(1, out var centrePort);
        await using var server = await IntakeServerProcess.StartAsync([
            .. AcdArgs, $"--Queues:0:OverflowUri=sip:overflow@127.0.0.1:{centrePort}", "--Queues:0:MaxWaitSeconds=3"]);
        using var api = new IntakeApiClient(server);
        await StartOperatorAsync(server, "op1001", Op1001Password, "uas_operator_answer.xml");
        var paused = await api.Operators.SetStateAsync(new SetOperatorStateRequest { Username = "op1001", Ready = false, Reason = "break" });

        var caller = await Sipp.RunAsync("uac_until_bye.xml", CallerArgs(1), Target(server), SippTimeout);
        var centreRun = await WaitAsync(centre);
        var events = await EventsAsync(api, server, Kind.Ended, 1);

        Assert.Equal("not-ready", paused.State);
        AssertSucceeded(caller, server);
        AssertSucceeded(centreRun, server);
        var overflowed = Assert.Single(events, e => e.KindCase == Kind.Overflowed).Overflowed;
        output.WriteLine($"overflowed {overflowed}");
        Assert.Equal("max-wait", overflowed.Reason);
        Assert.InRange(overflowed.WaitSeconds, 2.9, 3.6);
        Assert.DoesNotContain(events, e => e.KindCase == Kind.Ringing);
    }

    [Fact]
    public async Task FirstOperatorNeverAnswers_RingTimeoutMovesCallToSecond_FirstAutoPaused()
    {
        await using var server = await IntakeServerProcess.StartAsync([.. AcdArgs, "--Queues:0:RingTimeoutSeconds=3"]);
        using var api = new IntakeApiClient(server);
        // Registered first, so idle longest: the first one offered the call.
        var silent = await StartOperatorAsync(server, "op1001", Op1001Password, "uas_operator_noanswer.xml");
        await StartOperatorAsync(server, "op1002", Op1002Password, "uas_operator_answer.xml");

        var caller = await Sipp.RunAsync("uac_until_bye.xml", CallerArgs(1), Target(server), SippTimeout);
        var events = await EventsAsync(api, server, Kind.Ended, 1);
        var op1001 = await api.OperatorInStateAsync("op1001", "not-ready", TimeSpan.FromSeconds(5));
        var silentRun = await StopAsync(silent);

        AssertSucceeded(caller, server);
        var rings = events.Where(e => e.KindCase == Kind.Ringing).Select(e => e.Ringing).ToList();
        Assert.Equal(["op1001", "op1002"], rings.Select(r => r.Operator));
        Assert.Equal([1u, 2u], rings.Select(r => r.Attempt));
        Assert.InRange(rings[1].WaitSeconds, 2.9, 4.5);
        var answered = Assert.Single(events, e => e.KindCase == Kind.Answered).Answered;
        Assert.Equal("op1002", answered.Operator);
        Assert.StartsWith("auto-pause", op1001.Reason, StringComparison.Ordinal);
        Assert.Contains(events, e => e.OperatorState is { Operator: "op1001", State: "not-ready" });
        Assert.Contains("CANCEL sip:", Trace(silentRun), StringComparison.Ordinal);
        Assert.Contains("SIP/2.0 487", Trace(silentRun), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerHangsUpWhileOperatorRings_OperatorLegCancelled_AbandonedAtRinging()
    {
        await using var server = await IntakeServerProcess.StartAsync(AcdArgs);
        using var api = new IntakeApiClient(server);
        var silent = await StartOperatorAsync(server, "op1001", Op1001Password, "uas_operator_noanswer.xml");

        var caller = await Sipp.RunAsync("uac_call.xml", CallerArgs(1, "-d", "2000"), Target(server), SippTimeout);
        var events = await EventsAsync(api, server, Kind.Ended, 1);
        var op1001 = await api.OperatorInStateAsync("op1001", "available", TimeSpan.FromSeconds(5));
        var silentRun = await StopAsync(silent);

        AssertSucceeded(caller, server);
        var abandoned = Assert.Single(events, e => e.KindCase == Kind.Abandoned).Abandoned;
        output.WriteLine($"abandoned {abandoned}");
        Assert.Equal("ringing", abandoned.Stage);
        Assert.Equal("op1001", abandoned.Operator);
        Assert.InRange(abandoned.WaitSeconds, 1.5, 5);
        Assert.Equal("", op1001.CallId);
        Assert.Contains("CANCEL sip:", Trace(silentRun), StringComparison.Ordinal);
        Assert.Contains("SIP/2.0 487", Trace(silentRun), StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var sipp in _running.ToList())
        {
            await StopAsync(sipp);
        }
    }

    /// <summary>An operator phone (SIPp) registered with digest auth; its calls run <paramref name="phoneScenario"/>.</summary>
    private async Task<SippProcess> StartOperatorAsync(IntakeServerProcess server, string user, string password, string phoneScenario)
    {
        var phone = Sipp.Start("operator_register_stay.xml", [
            "-oocsf", Sipp.ScenarioPath(phoneScenario), "-rtp_echo", "-s", user, "-au", user, "-ap", password,
            "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-m", "1", "-d", "90000",
            "-max_socket", "2000", "-trace_msg", "-message_file", "messages.log"], Target(server));
        _running.Add(phone);
        await server.WaitForOutputAsync($"Operator {user} registered", TimeSpan.FromSeconds(10));
        return phone;
    }

    /// <summary>The other centre calls overflow to: a SIPp UAS answering <paramref name="calls"/> calls, echoing RTP.</summary>
    private SippProcess StartCentre(int calls, out int port)
    {
        port = FreePorts.Next();
        var centre = Sipp.Start("uas_operator_answer.xml", [
            "-s", "overflow", "-rtp_echo", "-p", port.ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-m", calls.ToString(),
            "-timeout", "50s", "-timeout_error", "-max_socket", "2000", "-trace_msg", "-message_file", "messages.log"]);
        _running.Add(centre);
        return centre;
    }

    private Task<SippRun> WaitAsync(SippProcess sipp)
    {
        _running.Remove(sipp);
        return sipp.WaitAsync(SippTimeout);
    }

    private Task<SippRun> StopAsync(SippProcess sipp)
    {
        sipp.Stop();
        return WaitAsync(sipp);
    }

    private static string[] CallerArgs(int calls, params string[] more) =>
    [
        "-s", "19", "-m", calls.ToString(), "-l", calls.ToString(), "-r", "10",
        "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(),
        "-timeout", "50s", "-timeout_error", "-max_socket", "2000", .. more,
    ];

    private static string Target(IntakeServerProcess server) => $"127.0.0.1:{server.SipPort}";

    private static string Trace(SippRun run)
    {
        var path = Path.Combine(run.WorkDirectory, "messages.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    private static List<string> CallIds(IEnumerable<CallEvent> events, Kind kind) =>
        [.. events.Where(e => e.KindCase == kind).Select(e => e.CallId)];

    /// <summary>RMS of both channels over the 2 s after the operator answered (the operator talks 2.5 s).</summary>
    private static (double Caller, double Operator) BridgedLevels(StereoRecording recording, double answeredAtSeconds)
    {
        var start = (int)((answeredAtSeconds + 0.3) * recording.SampleRate);
        var length = Math.Max(0, Math.Min(2 * recording.SampleRate, recording.Left.Length - start));
        return start >= recording.Left.Length
            ? (0, 0)
            : (AudioMatch.Rms(recording.Left.AsSpan(start, length)), AudioMatch.Rms(recording.Right.AsSpan(start, length)));
    }

    /// <summary>The feed up to <paramref name="count"/> events of a kind; a timeout shows the server's log too.</summary>
    private static async Task<IReadOnlyList<CallEvent>> EventsAsync(IntakeApiClient api, IntakeServerProcess server, Kind kind, int count)
    {
        try
        {
            return await api.EventsUntilAsync(kind, count, FeedTimeout);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n--- server ---\n" + server.Output, ex);
        }
    }

    private static void AssertSucceeded(SippRun run, IntakeServerProcess server) =>
        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
}
