using System.Diagnostics;
using System.Globalization;
using Intake.Contracts.V1;
using Intake.Server.Calls;
using Intake.Server.Events;
using Intake.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Feed.Benchmarks;

/// <summary>
/// The event log alone, in process, without SIP or gRPC: the server's <see cref="CallEventLog"/> writing to an
/// <see cref="EventStore"/> on SQLite (WAL, synchronous=FULL) in a temp directory.
///   burst: N calls' events (offered, queued, abandoned, ended, recording) queued at once; events/s until all committed.
///   paced: events queued one by one at R calls/s (5 events per call) for S seconds; queue -> published latency.
/// Usage: store [--burst-calls N] [--rate R] [--seconds S]
/// </summary>
internal static class StoreBenchmark
{
    private const int EventsPerCall = 5;

    public static async Task<int> RunAsync(string[] args)
    {
        var burstCalls = Option(args, "--burst-calls", 2000);
        var rate = Option(args, "--rate", 100);
        var seconds = Option(args, "--seconds", 10);
        Console.WriteLine($"# Intake event-store benchmark: burst {burstCalls} calls, paced {rate} calls/s for {seconds} s; SQLite synchronous=FULL");

        await using (var log = await StoreUnderTest.StartAsync())
        {
            // Warm-up: JIT, first pages of the database file.
            await log.EnqueueAndWaitAsync(0, 50);
            var clock = Stopwatch.StartNew();
            await log.EnqueueAndWaitAsync(50, burstCalls);
            var elapsed = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"burst: {burstCalls * EventsPerCall} events of {burstCalls} calls committed in {elapsed:F2} s: " +
                              $"{burstCalls * EventsPerCall / elapsed:F0} events/s ({burstCalls / elapsed:F0} calls/s)");
        }

        await using (var log = await StoreUnderTest.StartAsync())
        {
            await log.EnqueueAndWaitAsync(0, 50);
            var latencies = await log.PacedAsync(50 * EventsPerCall, rate * EventsPerCall, rate * seconds * EventsPerCall);
            Console.WriteLine($"paced: {rate} calls/s ({rate * EventsPerCall} events/s) for {seconds} s, queue -> published ({latencies.Count} events): " +
                              $"p50 {Percentile(latencies, 50):F2} ms, p90 {Percentile(latencies, 90):F2} ms, p99 {Percentile(latencies, 99):F2} ms, max {latencies.Max():F2} ms");
        }

        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
    }

    private static double Percentile(List<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static CallEvent EventOf(int call, int step) => step switch
    {
        0 => new CallEvent { Offered = new CallOffered { CallerNumber = "+2126" + call.ToString("D8", CultureInfo.InvariantCulture), DialledNumber = "19", Queue = "police", SourceAddress = "udp:127.0.0.1:5060" } },
        1 => new CallEvent { Queued = new CallQueued { Queue = "police", Position = 1 } },
        2 => new CallEvent { Abandoned = new CallAbandoned { Stage = "queued", WaitSeconds = 0.3 } },
        3 => new CallEvent { Ended = new CallEnded { HungUpBy = "caller", Outcome = "abandoned", QueueSeconds = 0.3 } },
        _ => new CallEvent { Recording = new RecordingAvailable { RecordingId = CallId(call), DurationSeconds = 0.3, SizeBytes = 9644, Sha256 = new string('a', 64) } },
    };

    private static string CallId(int call) => "bench-" + call.ToString(CultureInfo.InvariantCulture);

    private sealed class StoreUnderTest : IAsyncDisposable
    {
        private readonly string _directory;
        private readonly SqlStorageBackend _backend;
        private readonly EventHub _hub;
        private readonly EventStore _store;
        private readonly CallEventLog _log;

        private StoreUnderTest(string directory)
        {
            _directory = directory;
            _backend = new SqlStorageBackend(new SqliteDialect(SqliteDialect.ForDirectory(directory)), TimeProvider.System);
            _hub = new EventHub();
            _store = new EventStore(_backend, _hub, TimeProvider.System, NullLogger<EventStore>.Instance);
            _log = new CallEventLog(_store, TimeProvider.System, NullLogger<CallEventLog>.Instance);
        }

        public static async Task<StoreUnderTest> StartAsync()
        {
            var directory = Path.Combine(Path.GetTempPath(), "intake-storebench-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(directory);
            var store = new StoreUnderTest(directory);
            await store._store.OpenAsync();
            await store._log.StartAsync(CancellationToken.None);
            return store;
        }

        /// <summary>Queues every event of calls [first, first + count) at once and waits until the last is published.</summary>
        public async Task EnqueueAndWaitAsync(int first, int count)
        {
            var target = _hub.LatestSequence + (ulong)(count * EventsPerCall);
            for (var call = first; call < first + count; call++)
            {
                for (var step = 0; step < EventsPerCall; step++)
                {
                    _log.Publish(CallId(call), EventOf(call, step));
                }
            }

            await WaitForAsync(target);
        }

        /// <summary>Queues <paramref name="total"/> events at <paramref name="perSecond"/>, returns each one's queue -> published time.</summary>
        public async Task<List<double>> PacedAsync(int firstEvent, int perSecond, int total)
        {
            var start = _hub.LatestSequence;
            var queuedAt = new long[total];
            var publishedAt = new long[total];
            using var subscription = _hub.Subscribe(total + 1);
            var reader = Task.Run(async () =>
            {
                for (var i = 0; i < total; i++)
                {
                    var record = await subscription.Reader.ReadAsync();
                    publishedAt[(int)(record.Sequence - start - 1)] = Stopwatch.GetTimestamp();
                }
            });

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / perSecond) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }

                var n = firstEvent + i;
                queuedAt[i] = Stopwatch.GetTimestamp();
                _log.Publish(CallId(n / EventsPerCall), EventOf(n / EventsPerCall, n % EventsPerCall));
            }

            await reader.WaitAsync(TimeSpan.FromSeconds(120));
            return [.. queuedAt.Select((q, i) => Stopwatch.GetElapsedTime(q, publishedAt[i]).TotalMilliseconds)];
        }

        public async ValueTask DisposeAsync()
        {
            await _log.StopAsync(CancellationToken.None);
            _log.Dispose();
            _store.Dispose();
            await _backend.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }

        private async Task WaitForAsync(ulong sequence)
        {
            var clock = Stopwatch.StartNew();
            while (_hub.LatestSequence < sequence)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(300))
                {
                    throw new TimeoutException($"the log reached {_hub.LatestSequence} of {sequence} in 300 s");
                }

                using var tick = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    await _hub.WaitForAppendAsync(_hub.LatestSequence, tick.Token);
                }
                catch (OperationCanceledException) when (tick.IsCancellationRequested)
                {
                    // Checked again above, bounded by the overall timeout.
                }
            }
        }
    }
}
