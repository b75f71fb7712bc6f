using System.Diagnostics;
using Xunit.Abstractions;

namespace Intake.Server.Tests.Integration;

/// <summary>Graceful shutdown, health and metrics of the real server, driven by SIPp and a hand-written caller.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class OperationsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Sigterm_CallsInProgress_NewInviteRefusedAndCallsCompleteAndExitZero()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:DrainSeconds=15"]);
        var sipp = Sipp.Start("uac_call.xml", [.. MediaCalls.CallerArgs(holdMs: 4000, calls: 3), "-max_socket", "2000"], MediaCalls.Target(server));
        await MediaCalls.WaitForLinesAsync(server, "recording to", 3, TimeSpan.FromSeconds(10));
        var readyBefore = await RawCalls.HttpGetAsync(server.MetricsPort, "/health/ready");

        var clock = Stopwatch.StartNew();
        Assert.True(NativeSignals.Send(server.ProcessId, NativeSignals.SigTerm));
        await server.WaitForOutputAsync("Draining", TimeSpan.FromSeconds(5));
        var readyDraining = await RawCalls.HttpGetAsync(server.MetricsPort, "/health/ready");
        using var late = new RawSipClient(server.SipPort);
        var refused = await RawCalls.InviteAsync(late, "19", "late-" + Guid.NewGuid().ToString("N"));
        var refusedAt = clock.Elapsed;

        var run = await sipp.WaitAsync(SippTimeout);
        var exit = await WaitForExitAsync(server, TimeSpan.FromSeconds(20));
        var exitedAt = clock.Elapsed;

        output.WriteLine($"503 after {refusedAt.TotalMilliseconds:F0} ms, exit {exit} after {exitedAt.TotalMilliseconds:F0} ms; SIPp {run.SuccessfulCalls} ok / {run.FailedCalls} failed");
        Assert.Equal((200, "ready"), readyBefore);
        Assert.Equal((503, "draining"), readyDraining);
        Assert.True(refused is not null, "no answer to the late INVITE:\n" + server.Output);
        Assert.Equal(503, RawSipClient.StatusOf(refused!));
        Assert.True(int.Parse(RawCalls.Header(refused!, "Retry-After")!) > 0);
        Assert.True(run.ExitCode == 0, $"SIPp exit {run.ExitCode}:\n{run.Output}\n{server.Output}");
        Assert.Equal(3, run.SuccessfulCalls);
        Assert.Equal(0, exit);
        Assert.True(exitedAt < TimeSpan.FromSeconds(15), $"exit took {exitedAt}");
        Assert.DoesNotContain("server stopping", server.Output);
        AssertRecordings(server, 3, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Sigterm_CallsOutlastDrain_ServerByesThemAtEndOfWindowAndExitsZero()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:DrainSeconds=2"]);
        var sipp = Sipp.Start("uac_until_bye.xml", [.. MediaCalls.CallerArgs(holdMs: 20000, calls: 2), "-max_socket", "2000"], MediaCalls.Target(server));
        await MediaCalls.WaitForLinesAsync(server, "recording to", 2, TimeSpan.FromSeconds(10));

        var clock = Stopwatch.StartNew();
        Assert.True(NativeSignals.Send(server.ProcessId, NativeSignals.SigTerm));
        var exit = await WaitForExitAsync(server, TimeSpan.FromSeconds(20));
        var exitedAt = clock.Elapsed;
        var run = await sipp.WaitAsync(SippTimeout);

        output.WriteLine($"exit {exit} after {exitedAt.TotalMilliseconds:F0} ms; SIPp {run.SuccessfulCalls} ok / {run.FailedCalls} failed");
        Assert.Equal(0, exit);
        Assert.InRange(exitedAt.TotalSeconds, 2, 10);
        Assert.True(run.ExitCode == 0, $"SIPp exit {run.ExitCode}:\n{run.Output}\n{server.Output}");
        Assert.Equal(2, run.SuccessfulCalls);
        Assert.Equal(2, server.Output.Split('\n').Count(l => l.Contains("ended: server stopping", StringComparison.Ordinal)));
        AssertRecordings(server, 2, TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task Metrics_SippCalls_CountersAndActiveCallsMove()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        var sipp = Sipp.Start("uac_call.xml", [.. MediaCalls.CallerArgs(holdMs: 3000, calls: 2), "-max_socket", "2000"], MediaCalls.Target(server));
        await MediaCalls.WaitForLinesAsync(server, "recording to", 2, TimeSpan.FromSeconds(10));
        // Open calls' RTP counts live (the greeting is being sent), not only once the calls end.
        var (duringStatus, during) = await ScrapeUntilAsync(server, m => RawCalls.Sample(m, "intake_rtp_packets_total", "direction=\"sent\"") > 0);
        var run = await sipp.WaitAsync(SippTimeout);
        await MediaCalls.WaitForLinesAsync(server, "sha256", 2, TimeSpan.FromSeconds(10));
        // A BYE's 200 is counted once its handler returns, just after the call's last log line.
        // The calls' last events (ended, recording) are committed by the event log's writer just after.
        var (afterStatus, after) = await ScrapeUntilAsync(server, m => RawCalls.Sample(m, "intake_calls_ended_total") >= 2 && RawCalls.Sample(m, "intake_sip_responses_sent_total") >= 4
            && m.Contains("\nintake_events_uncommitted", StringComparison.Ordinal) && RawCalls.Sample(m, "intake_events_uncommitted") == 0);
        var live = await RawCalls.HttpGetAsync(server.MetricsPort, "/health/live");

        output.WriteLine(string.Join('\n', after.Split('\n').Where(l => l.StartsWith("intake_", StringComparison.Ordinal))));
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(200, duringStatus);
        Assert.Equal(200, afterStatus);
        Assert.Equal((200, "alive"), live);
        Assert.Equal(2, RawCalls.Sample(during, "intake_calls_active"));
        Assert.True(RawCalls.Sample(during, "intake_rtp_packets_total", "direction=\"sent\"") > 0, during);
        Assert.Equal(0, RawCalls.Sample(after, "intake_calls_active"));
        // Every event of the two calls is in the store: the gauge is there and reads 0.
        Assert.Contains(after.Split('\n'), l => l.StartsWith("intake_events_uncommitted", StringComparison.Ordinal));
        Assert.Equal(0, RawCalls.Sample(after, "intake_events_uncommitted"));
        Assert.True(RawCalls.Sample(after, "intake_sip_requests_received_total", "method=\"INVITE\"") >= 2, after);
        Assert.True(RawCalls.Sample(after, "intake_sip_requests_received_total", "method=\"BYE\"") >= 2, after);
        Assert.True(RawCalls.Sample(after, "intake_sip_responses_sent_total") >= 4, after);
        Assert.Equal(2, RawCalls.Sample(after, "intake_calls_received_total"));
        Assert.Equal(2, RawCalls.Sample(after, "intake_calls_ended_total", "outcome=\"abandoned\""));
        // uac_call sends no RTP; Intake's greeting goes out on each call.
        Assert.True(RawCalls.Sample(after, "intake_rtp_packets_total", "direction=\"sent\"") > 100, after);
        Assert.Contains("intake_queue_calls_waiting", after);
    }

    [Fact]
    public async Task Metrics_WatchStreamOpen_ConsumerLagGaugePerStream()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        using var channel = RawCalls.Channel(server);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var watch = new Intake.Contracts.V1.CallFeed.CallFeedClient(channel).Watch(new Intake.Contracts.V1.WatchRequest(), cancellationToken: cts.Token);

        static bool IsWatchLag(string line) =>
            line.StartsWith("intake_events_consumer_lag{", StringComparison.Ordinal) && line.Contains("consumer=\"watch ", StringComparison.Ordinal);
        var (status, metrics) = await ScrapeUntilAsync(server, m => m.Split('\n').Any(IsWatchLag));

        output.WriteLine(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("intake_events_consumer_lag", StringComparison.Ordinal))));
        Assert.Equal(200, status);
        var line = Assert.Single(metrics.Split('\n'), IsWatchLag);
        Assert.Equal(0, double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<(int Status, string Body)> ScrapeUntilAsync(IntakeServerProcess server, Func<string, bool> done)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await RawCalls.HttpGetAsync(server.MetricsPort, "/metrics");
            if (done(scrape.Body) || waited.Elapsed > TimeSpan.FromSeconds(5))
            {
                return scrape;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls the process without signalling it again (a second SIGTERM must not be what ends the drain).</summary>
    private static async Task<int> WaitForExitAsync(IntakeServerProcess server, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (!server.HasExited)
        {
            Assert.True(waited.Elapsed < timeout, "the server did not exit:\n" + server.Output);
            await Task.Delay(20);
        }

        return server.ExitCode;
    }

    private static void AssertRecordings(IntakeServerProcess server, int count, TimeSpan minimum)
    {
        var files = Directory.GetFiles(Path.Combine(server.DataDirectory, "recordings"), "*.wav");
        Assert.Equal(count, files.Length);
        foreach (var file in files)
        {
            var recording = StereoRecording.Read(file);
            Assert.True(recording.SizesConsistent, $"{file}: RIFF {recording.RiffSize}, data {recording.DataSize}, file {recording.FileLength}");
            Assert.True(recording.Duration >= minimum, $"{file}: {recording.Duration}");
        }

        Assert.Equal(count, server.Output.Split('\n').Count(l => l.Contains("sha256", StringComparison.OrdinalIgnoreCase)));
    }
}
