using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Intake.Feed.Benchmarks;

// Call-feed benchmark: the real server process, a raw UDP SIP caller and N Watch consumers on loopback.
//   latency: INVITE handed to the socket -> offered event read by each consumer (p50/p99, target p99 < 20 ms)
//   live:    events per second reaching the consumers while calls arrive in a burst
//   replay:  events per second when every consumer reads the whole stored log at once
//   store:   (first argument "store") the event log alone, in process; see StoreBenchmark
if (args is ["store", .. var storeArgs])
{
    return await StoreBenchmark.RunAsync(storeArgs);
}

var options = BenchOptions.Parse(args);
var sipPort = FreePort();
var grpcPort = FreePort();
var rtpBase = 20000 + Random.Shared.Next(0, 40) * 250;
Console.WriteLine($"# Intake call-feed benchmark: {options}");
Console.WriteLine($"# {Environment.ProcessorCount} CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");

await using var server = await ServerProcess.StartAsync(sipPort, grpcPort, rtpBase, ["--Queues:0:WrapUpSeconds=0"]);
var consumers = Enumerable.Range(0, options.Consumers).Select(_ => new FeedConsumer(grpcPort, 0)).ToList();
await using var uac = new RawUac(sipPort, TimeSpan.FromMilliseconds(options.HoldMs));
var placed = 0;

// Warm-up: JIT, SQLite pages, HTTP/2 streams; not measured.
placed += await PlaceAsync(uac, "warm", placed, options.WarmupCalls, options.Rate);
await WaitAsync(() => consumers.All(c => c.RecordingCount >= placed), TimeSpan.FromSeconds(60), "warm-up recordings", State);

// Latency at a steady rate.
var latencyIds = new List<string>();
var latencyStart = placed;
placed += await PlaceAsync(uac, "lat", placed, options.Calls, options.Rate, latencyIds);
await WaitAsync(() => consumers.All(c => latencyIds.All(c.OfferedAt.ContainsKey)), TimeSpan.FromSeconds(60), "offered events", State);
var all = new List<double>();
var firsts = new List<double>();
var trying = new List<double>();
foreach (var id in latencyIds)
{
    var sent = uac.InviteSentAt[id];
    if (uac.TryingAt.TryGetValue(id, out var tryingAt))
    {
        trying.Add(Stopwatch.GetElapsedTime(sent, tryingAt).TotalMilliseconds);
    }

    var arrivals = consumers.Select(c => Stopwatch.GetElapsedTime(sent, c.OfferedAt[id]).TotalMilliseconds).ToList();
    all.AddRange(arrivals);
    firsts.Add(arrivals.Min());
}

await WaitAsync(() => consumers.All(c => c.RecordingCount >= placed), TimeSpan.FromSeconds(60), "latency-phase recordings", State);

// Live throughput: a burst of calls, every consumer reading as they happen.
var before = consumers.Select(c => c.EventCount).ToList();
var burstClock = Stopwatch.StartNew();
placed += await PlaceAsync(uac, "burst", placed, options.BurstCalls, options.BurstRate);
await WaitAsync(() => consumers.All(c => c.RecordingCount >= placed), TimeSpan.FromSeconds(120), "burst recordings", State);
var burstSeconds = burstClock.Elapsed.TotalSeconds;
var burstEvents = consumers.Select((c, i) => c.EventCount - before[i]).ToList();
var completed = await uac.WaitForCompletionAsync(placed, TimeSpan.FromSeconds(30));
var lastSequence = consumers.Max(c => c.LastSequence);

// Replay: fresh consumers read the whole log concurrently.
var replayClock = Stopwatch.StartNew();
var replayers = Enumerable.Range(0, options.Consumers).Select(_ => new FeedConsumer(grpcPort, 0)).ToList();
await WaitAsync(() => replayers.All(r => r.LastSequence >= lastSequence), TimeSpan.FromSeconds(120), "replay", State);
var replaySeconds = replayClock.Elapsed.TotalSeconds;
var failures = consumers.Concat(replayers).Count(c => c.Failure is not null);
foreach (var consumer in consumers.Concat(replayers))
{
    await consumer.DisposeAsync();
}

Console.WriteLine();
Console.WriteLine($"calls placed: {placed} ({options.WarmupCalls} warm-up), completed (BYE answered): {uac.Completed}{(completed ? "" : " (INCOMPLETE)")}, consumer failures: {failures}");
Console.WriteLine($"events in log: {lastSequence} ({(double)lastSequence / placed:F1} per call)");
Console.WriteLine($"offered latency, {options.Calls} calls at {options.Rate}/s, {options.Consumers} consumers ({all.Count} samples): " +
                  $"p50 {Percentile(all, 50):F2} ms, p90 {Percentile(all, 90):F2} ms, p99 {Percentile(all, 99):F2} ms, max {all.Max():F2} ms");
Console.WriteLine($"offered latency, first consumer to get it: p50 {Percentile(firsts, 50):F2} ms, p99 {Percentile(firsts, 99):F2} ms");
Console.WriteLine(trying.Count == 0
    ? "INVITE -> 100 Trying: none received"
    : $"INVITE -> 100 Trying (SIP path alone, {trying.Count} calls): p50 {Percentile(trying, 50):F2} ms, p90 {Percentile(trying, 90):F2} ms, p99 {Percentile(trying, 99):F2} ms");
Console.WriteLine($"live burst: {options.BurstCalls} calls at {options.BurstRate}/s, {burstEvents.Average():F0} events per consumer in {burstSeconds:F2} s: " +
                  $"{burstEvents.Sum() / burstSeconds:F0} events/s to {options.Consumers} consumers ({burstEvents.Average() / burstSeconds:F0} per consumer)");
Console.WriteLine($"replay: {options.Consumers} consumers x {lastSequence} events in {replaySeconds:F2} s: " +
                  $"{options.Consumers * (double)lastSequence / replaySeconds:F0} events/s ({lastSequence / replaySeconds:F0} per consumer)");
return failures == 0 && completed ? 0 : 1;

string State() =>
    $"placed {placed}, completed {uac.Completed}, consumer events [{string.Join(", ", consumers.Select(c => c.EventCount))}], " +
    $"failure: {consumers.Select(c => c.Failure?.Message).FirstOrDefault(m => m is not null)}\nserver:\n{string.Join('\n', server.OutputTail.TakeLast(40))}";

static async Task<int> PlaceAsync(RawUac uac, string prefix, int first, int count, int rate, List<string>? ids = null)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due);
        }

        var id = $"{prefix}-{first + i}-{Guid.NewGuid():N}@bench";
        ids?.Add(id);
        await uac.CallAsync(id, first + i);
    }

    return count;
}

static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, Func<string> state)
{
    var clock = Stopwatch.StartNew();
    while (!condition())
    {
        if (clock.Elapsed > timeout)
        {
            throw new TimeoutException($"no {what} within {timeout}; {state()}");
        }

        await Task.Delay(20);
    }
}

static double Percentile(List<double> values, double percent)
{
    var sorted = values.Order().ToArray();
    var rank = (int)Math.Ceiling(percent / 100 * sorted.Length) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
}

static int FreePort()
{
    // Free for TCP and UDP both (SIP listens on both).
    for (var attempt = 0; attempt < 100; attempt++)
    {
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
        try
        {
            using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
            return port;
        }
        catch (SocketException)
        {
            continue;
        }
    }

    throw new InvalidOperationException("no free port");
}
