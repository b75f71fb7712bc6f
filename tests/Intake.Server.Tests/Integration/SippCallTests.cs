namespace Intake.Server.Tests.Integration;

/// <summary>RFC 3261 call flows driven by real SIPp callers against the real server process.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SippCallTests
{
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(90);

    private static string[] CallerArgs(int calls, int limit, int rate, int holdMs, string transport) =>
    [
        "-s", "19", "-m", calls.ToString(), "-l", limit.ToString(), "-r", rate.ToString(), "-d", holdMs.ToString(),
        "-t", transport, "-p", FreePorts.Next().ToString(), "-mp", FreePorts.Next(evenPair: true).ToString(),
        "-timeout", "80s", "-timeout_error", "-recv_timeout", "10000",
    ];

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task SequentialCalls_100_AllSucceed(string transport)
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var run = await Sipp.RunAsync("uac_call.xml", CallerArgs(100, 1, 100, 10, transport), $"127.0.0.1:{server.SipPort}", SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        Assert.Equal(100, run.SuccessfulCalls);
        Assert.Equal(0, run.FailedCalls);
    }

    [Theory]
    [InlineData("un")]
    [InlineData("tn")]
    public async Task ConcurrentCalls_50_AllSucceed(string transport)
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var run = await Sipp.RunAsync("uac_call.xml", CallerArgs(50, 50, 200, 2000, transport), $"127.0.0.1:{server.SipPort}", SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        Assert.Equal(50, run.SuccessfulCalls);
        Assert.Equal(0, run.FailedCalls);
    }

    [Fact]
    public async Task CancelWhileRinging_Gets487()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Sip:AnswerDelayMilliseconds=3000"]);

        var run = await Sipp.RunAsync("uac_cancel.xml", CallerArgs(1, 1, 1, 0, "u1"), $"127.0.0.1:{server.SipPort}", SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        Assert.Equal(1, run.SuccessfulCalls);
    }

    [Fact]
    public async Task CallerNeverAcks_200RetransmittedWithT1DoublingCappedAtT2_ThenBye()
    {
        // T1 = 100 ms and T2 = 400 ms so that the whole 64*T1 window (6.4 s) fits in a test.
        await using var server = await IntakeServerProcess.StartAsync(["--Sip:T1Milliseconds=100", "--Sip:T2Milliseconds=400"]);

        var args = CallerArgs(1, 1, 1, 0, "u1").Concat(["-trace_logs", "-log_file", "events.log"]);
        var run = await Sipp.RunAsync("uac_no_ack.xml", args, $"127.0.0.1:{server.SipPort}", SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        var events = File.ReadAllLines(Path.Combine(run.WorkDirectory, "events.log"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 2)
            .Select(p => (Kind: p[0], Ms: long.Parse(p[1])))
            .ToList();
        var oks = events.Where(e => e.Kind == "200").Select(e => e.Ms).ToList();
        var bye = Assert.Single(events, e => e.Kind == "BYE").Ms;
        var intervals = oks.Zip(oks.Skip(1), (a, b) => b - a).ToList();

        // 100, 200, 400, then capped at 400 ms.
        Assert.True(intervals.Count >= 12, $"only {intervals.Count} retransmissions: {string.Join(",", intervals)}");
        Assert.InRange(intervals[0], 60, 160);
        Assert.InRange(intervals[1], 160, 260);
        Assert.InRange(intervals[2], 340, 480);
        Assert.All(intervals.Skip(3), i => Assert.InRange(i, 340, 480));
        // The BYE comes once 64*T1 has passed since the first 200.
        Assert.InRange(bye - oks[0], 6000, 7500);
    }

    [Fact]
    public async Task Options_AnsweredDuringCallLoad()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        var target = $"127.0.0.1:{server.SipPort}";

        var calls = Sipp.Start("uac_call.xml", CallerArgs(200, 60, 60, 1500, "un"), target);
        var options = await Sipp.RunAsync("uac_options.xml", CallerArgs(100, 5, 25, 0, "u1"), target, SippTimeout);
        var callRun = await calls.WaitAsync(SippTimeout);

        Assert.True(options.ExitCode == 0, options.Output + "\n--- server ---\n" + server.Output);
        Assert.Equal(100, options.SuccessfulCalls);
        Assert.True(callRun.ExitCode == 0, callRun.Output);
        Assert.Equal(200, callRun.SuccessfulCalls);
    }
}
