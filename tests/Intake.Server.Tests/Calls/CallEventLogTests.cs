using Intake.Contracts.V1;
using Intake.Server.Calls;
using Intake.Server.Events;
using Intake.Server.Storage;
using Intake.Server.Tests.Api;
using Intake.Server.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static Intake.Server.Tests.Storage.FaultyStorageBackend;

namespace Intake.Server.Tests.Calls;

public sealed class CallEventLogTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly TimerSignallingTimeProvider _time = new();
    private readonly EventHub _hub = new();
    private SqlStorageBackend _sql = null!;
    private FaultyStorageBackend _backend = null!;
    private EventStore _store = null!;
    private CallEventLog _log = null!;

    public Task InitializeAsync()
    {
        _sql = new SqlStorageBackend(new SqliteDialect(SqliteDialect.ForDirectory(_directory.Path)), _time);
        _backend = new FaultyStorageBackend(_sql);
        _store = new EventStore(_backend, _hub, _time, NullLogger<EventStore>.Instance);
        _log = new CallEventLog(_store, _time, NullLogger<CallEventLog>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _log.Dispose();
        _store.Dispose();
        await _sql.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task WriteAsync_BacklogQueued_AppendedInOrderInBatchesOfAtMostMaxBatch()
    {
        using var live = _hub.Subscribe(1000);
        for (var i = 0; i < 600; i++)
        {
            _log.Publish($"call-{i}", Dtmf(i));
        }

        await _log.StartAsync(CancellationToken.None);
        var received = await ReadAsync(live, 600);
        await _log.StopAsync(CancellationToken.None);

        Assert.Equal([CallEventLog.MaxBatch, CallEventLog.MaxBatch, 600 - (2 * CallEventLog.MaxBatch)], _backend.BatchSizes);
        Assert.Equal(Enumerable.Range(1, 600).Select(i => (ulong)i), received.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"call-{i}"), received.Select(r => r.Event.CallId));
    }

    [Fact]
    public async Task WriteAsync_CommitReportedAsFailed_RetriesBatchWithoutDuplicatesOrGaps()
    {
        using var live = _hub.Subscribe(1000);
        _backend.FailNextAppends(AppendFault.AfterCommit);
        _log.Publish("c1", new CallEvent { Offered = new CallOffered { Queue = "police" } });
        _log.Publish("c1", new CallEvent { Queued = new CallQueued { Queue = "police", Position = 1 } });
        _log.Publish("c1", Dtmf(5));

        await _log.StartAsync(CancellationToken.None);
        await _backend.FaultThrown.Task.WaitAsync(TestTimeouts.Stream);
        await _time.TimerCreated.Task.WaitAsync(TestTimeouts.Stream);
        Assert.Equal(0, live.Reader.Count);
        Assert.Equal(3, _log.Uncommitted);
        _time.Advance(TimeSpan.FromSeconds(2));
        var first = await ReadAsync(live, 3);
        _log.Publish("c1", new CallEvent { Abandoned = new CallAbandoned { Stage = "queued" } });
        var second = await ReadAsync(live, 1);
        await _log.StopAsync(CancellationToken.None);

        Assert.Equal([1UL, 2UL, 3UL, 4UL], first.Concat(second).Select(r => r.Sequence));
        Assert.Equal(["offered", "queued", "dtmf", "abandoned"], first.Concat(second).Select(r => r.Kind));
        Assert.False(live.Reader.TryRead(out _));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], (await _store.ReadAfterAsync(0, 100)).Select(r => r.Sequence));
        Assert.Equal([3, 1], _backend.BatchSizes);
        Assert.Equal(0, _log.Uncommitted);
    }

    [Fact]
    public async Task Publish_RecordingMetadata_StoredWithItsEvent()
    {
        using var live = _hub.Subscribe(10);
        var info = new RecordingInfo("c1", "c1", "/var/lib/intake/c1.wav", 3, 48_044, new string('c', 64), TestEvents.Epoch);
        await _log.StartAsync(CancellationToken.None);

        _log.Publish("c1", new CallEvent { Recording = new RecordingAvailable { RecordingId = "c1", DurationSeconds = 3 } }, info);
        var recording = Assert.Single(await ReadAsync(live, 1));
        await _log.StopAsync(CancellationToken.None);

        Assert.Equal("recording", recording.Kind);
        Assert.Equal(info, await _sql.GetRecordingAsync("c1"));
    }

    [Fact]
    public async Task Publish_EventWithoutKind_DroppedAndLaterEventsStored()
    {
        using var live = _hub.Subscribe(10);
        _log.Publish("c1", new CallEvent());
        _log.Publish("c1", Dtmf(1));

        await _log.StartAsync(CancellationToken.None);
        var stored = Assert.Single(await ReadAsync(live, 1));
        await _log.StopAsync(CancellationToken.None);

        Assert.Equal("dtmf", stored.Kind);
        Assert.Equal(1UL, stored.Sequence);
    }

    [Fact]
    public async Task StopAsync_EventsStillQueued_AllStoredBeforeItCompletes()
    {
        using var live = _hub.Subscribe(1000);
        await _log.StartAsync(CancellationToken.None);
        _log.Publish("c1", Dtmf(0));
        await ReadAsync(live, 1);
        for (var i = 1; i <= 300; i++)
        {
            _log.Publish("c1", Dtmf(i));
        }

        await _log.StopAsync(CancellationToken.None);

        Assert.Equal(301UL, _store.LatestSequence);
        Assert.Equal(301, (await _store.ReadAfterAsync(0, 1000)).Count);
        Assert.Equal(301, _backend.BatchSizes.Sum());
    }

    [Fact]
    public async Task StopAsync_RightAfterStart_EverythingQueuedIsStored()
    {
        // A host stopping during start-up (a bad setting found by a later service) must not lose what was published.
        for (var i = 0; i < 300; i++)
        {
            _log.Publish($"call-{i}", Dtmf(i));
        }

        await _log.StartAsync(CancellationToken.None);
        await _log.StopAsync(CancellationToken.None);

        Assert.Equal(0, _log.Uncommitted);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (ulong)i), (await _store.ReadAfterAsync(0, 1000)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task StopAsync_NeverStarted_StillStoresWhatWasQueued()
    {
        _log.Publish("c1", new CallEvent { Offered = new CallOffered { Queue = "police" } });
        _log.Publish("c1", new CallEvent { Abandoned = new CallAbandoned { Stage = "queued" } });

        await _log.StopAsync(CancellationToken.None);
        _log.Publish("c1", Dtmf(1));

        Assert.Equal(["offered", "abandoned"], (await _store.ReadAfterAsync(0, 100)).Select(r => r.Kind));
    }

    private static CallEvent Dtmf(int n) => new() { Dtmf = new DtmfReceived { Digit = (n % 10).ToString(System.Globalization.CultureInfo.InvariantCulture), Leg = "caller" } };

    private static async Task<List<CallEventRecord>> ReadAsync(EventSubscription subscription, int count)
    {
        using var timeout = TestTimeouts.Cancel();
        var records = new List<CallEventRecord>(count);
        while (records.Count < count)
        {
            records.Add(await subscription.Reader.ReadAsync(timeout.Token));
        }

        return records;
    }

    /// <summary>Tells the test when the code under test starts waiting (a retry pause), so it can advance time past it.</summary>
    private sealed class TimerSignallingTimeProvider() : FakeTimeProvider(TestEvents.Epoch)
    {
        public TaskCompletionSource TimerCreated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            TimerCreated.TrySetResult();
            return timer;
        }
    }
}
