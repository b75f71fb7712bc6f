namespace Intake.Server.Tests.Integration;

/// <summary>RFC 3261 call flows driven by real SIPp callers against the real server process.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SippCallTests
{
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(90);

    private static string[] CallerArgs(int calls, int limit, int rate, int holdMs, string transport) =>
    [
        "-s", "19", "-m", calls.ToString(), "-l", limit.ToString(), "-r", rate.ToString(), "-d", holdMs.ToString(),
        "-t", transport,
        // In multi-socket modes SIPp binds one port per call upwards from -p: give it a block of its own.
        "-p", (transport.EndsWith('n') ? FreePorts.NextBlock(calls + 50) : FreePorts.Next()).ToString(), "-mp", FreePorts.NextBlock(4).ToString(),
        "-timeout", "80s", "-timeout_error", "-recv_timeout", "10000", "-max_socket", "2000",
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
        // SIPp's "tn" opens one TCP connection per call, all from 127.0.0.1; a real trunk multiplexes on a few.
        await using var server = await IntakeServerProcess.StartAsync(["--Sip:MaxTcpConnectionsPerSource=200"]);

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

        var args = CallerArgs(1, 1, 1, 0, "u1").Concat(["-trace_msg", "-message_file", "messages.log"]);
        var run = await Sipp.RunAsync("uac_no_ack.xml", args, $"127.0.0.1:{server.SipPort}", SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        // SIPp absorbs retransmissions before its scenario sees them, but its message trace records each arrival.
        var received = SippMessageTrace.Received(Path.Combine(run.WorkDirectory, "messages.log"));
        var oks = received.Where(m => m.FirstLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Select(m => m.Time).ToList();
        var bye = Assert.Single(received, m => m.FirstLine.StartsWith("BYE ", StringComparison.Ordinal)).Time;
        var intervals = oks.Zip(oks.Skip(1), (a, b) => (long)(b - a).TotalMilliseconds).ToList();

        // 100, 200, 400, then capped at 400 ms.
        Assert.True(intervals.Count >= 12, $"only {intervals.Count} retransmissions: {string.Join(",", intervals)}");
        // Bounds leave room for a loaded 2-core machine delaying a timer by a few tens of ms.
        Assert.InRange(intervals[0], 60, 220);
        Assert.InRange(intervals[1], 150, 320);
        Assert.InRange(intervals[2], 320, 540);
        Assert.All(intervals.Skip(3), i => Assert.InRange(i, 300, 560));
        Assert.InRange(intervals.Skip(3).Average(), 370, 450);
        // The BYE comes once 64*T1 has passed since the first 200.
        Assert.InRange((bye - oks[0]).TotalMilliseconds, 6000, 7500);
    }

    [Fact]
    public async Task Options_AnsweredDuringCallLoad()
    {
        // 25 OPTIONS/s from one address is over the default per-source limit (10/s, burst 50, answered 503): this test
        // is about OPTIONS under call load, so the monitor is allowed its rate.
        await using var server = await IntakeServerProcess.StartAsync(["--Security:OptionsPerSecond=100", "--Security:OptionsBurst=200"]);
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
