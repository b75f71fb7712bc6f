using Intake.Contracts.V1;
using Intake.Server.Events;
using Intake.Server.Storage;
using static Intake.Server.Tests.Storage.FaultyStorageBackend;

namespace Intake.Server.Tests.Storage;

/// <summary>Group commit: batches of events in one transaction, and what a failed batch leaves behind.</summary>
public abstract partial class EventStoreContractTests
{
    /// <summary>Statements that make every insert of a <c>dtmf</c> event fail inside the transaction.</summary>
    protected abstract string[] FailDtmfInsertsSql { get; }

    /// <summary>Statement that removes what <see cref="FailDtmfInsertsSql"/> installed.</summary>
    protected abstract string AllowDtmfInsertsSql { get; }

    [Fact]
    public async Task AppendBatch_EventsOfSeveralCalls_ConsecutiveSequencesInOrderAndCallsProjected()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(1000);
        await store.AppendAsync(TestEvents.Offered("c0"));
        var t0 = TestEvents.Epoch;
        CallEvent[] batch =
        [
            TestEvents.Offered("c1", "fire", "+212611", t0),
            TestEvents.Offered("c2", "police", "+212622", t0),
            TestEvents.Queued("c1", "fire", t0.AddSeconds(1)),
            TestEvents.Answered("c1", "bob", t0.AddSeconds(3)),
            TestEvents.OperatorState("bob", "busy", t0.AddSeconds(3)),
            TestEvents.Abandoned("c2", t0.AddSeconds(9)),
        ];

        var records = await store.AppendBatchAsync(batch);

        Assert.Equal([2UL, 3UL, 4UL, 5UL, 6UL, 7UL], records.Select(r => r.Sequence));
        Assert.Equal(["offered", "offered", "queued", "answered", "operator_state", "abandoned"], records.Select(r => r.Kind));
        Assert.Equal(["fire", "police", "fire", "fire", "", "police"], records.Select(r => r.Queue));
        Assert.Equal(records.Select(r => r.Sequence), (await store.ReadAfterAsync(1, 100)).Select(r => r.Sequence));
        Assert.Equal([1UL, .. records.Select(r => r.Sequence)], Drain(live));
        Assert.Equal(7UL, store.LatestSequence);
        var c1 = await backend.GetCallAsync("c1");
        Assert.Equal("answered", c1!.State);
        Assert.Equal("bob", c1.Operator);
        Assert.Equal(3, c1.Events.Count);
        Assert.Equal("abandoned", (await backend.GetCallAsync("c2"))!.State);
        Assert.All(batch, e => Assert.Equal(0UL, e.Sequence));
    }

    [Fact]
    public async Task AppendBatch_WithRecording_StoresRecordingRowWithTheEvent()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        using var store = NewStore(backend, new EventHub());
        var info = new RecordingInfo("c1", "c1", "/var/lib/intake/c1.wav", 8.5, 136_044, new string('b', 64), TestEvents.Epoch);

        await store.AppendBatchAsync(
            [TestEvents.Ended("c1"), new CallEvent { CallId = "c1", Recording = new RecordingAvailable { RecordingId = "c1" } }], [info]);

        Assert.Equal(info, await backend.GetRecordingAsync("c1"));
        Assert.Equal("c1", (await backend.GetCallAsync("c1"))!.RecordingId);
    }

    [Fact]
    public async Task AppendBatch_ConcurrentBatchesAndSingles_GapFreeAndPublishedInOrder()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(10_000);

        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                if (w % 2 == 0)
                {
                    await store.AppendAsync(TestEvents.Dtmf($"call-{w}", i));
                }
                else
                {
                    await store.AppendBatchAsync([.. Enumerable.Range(0, 7).Select(n => TestEvents.Dtmf($"call-{w}", (i * 7) + n))]);
                }
            }
        }));
        await Task.WhenAll(writers);

        var expected = Enumerable.Range(1, (3 * 10) + (3 * 10 * 7)).Select(i => (ulong)i).ToList();
        Assert.Equal(expected, (await store.ReadAfterAsync(0, 1000)).Select(r => r.Sequence));
        Assert.Equal(expected, Drain(live));
    }

    [Fact]
    public async Task AppendBatch_CommitReportedAsFailed_RetryPublishesOnceWithoutDuplicates()
    {
        await using var sql = OpenBackend(await CreateDatabaseAsync());
        var backend = new FaultyStorageBackend(sql);
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(100);
        CallEvent[] batch = [TestEvents.Offered("c1"), TestEvents.Queued("c1"), TestEvents.Dtmf("c1", 4)];
        backend.FailNextAppends(AppendFault.AfterCommit);

        await Assert.ThrowsAsync<IOException>(async () => await store.AppendBatchAsync(batch));
        Assert.Empty(Drain(live));
        Assert.Equal(0UL, store.LatestSequence);

        var retried = await store.AppendBatchAsync(batch);
        var next = await store.AppendAsync(TestEvents.Answered("c1"));

        Assert.Equal([1UL, 2UL, 3UL], retried.Select(r => r.Sequence));
        Assert.Equal(4UL, next.Sequence);
        Assert.Equal([1UL, 2UL, 3UL, 4UL], Drain(live));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], (await store.ReadAfterAsync(0, 100)).Select(r => r.Sequence));
        Assert.Equal([3, 1], backend.BatchSizes);
    }

    [Fact]
    public async Task AppendBatch_FailsBeforeCommit_NothingPublishedAndRetryStoresOnce()
    {
        await using var sql = OpenBackend(await CreateDatabaseAsync());
        var backend = new FaultyStorageBackend(sql);
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(100);
        await store.AppendAsync(TestEvents.Offered("c0"));
        CallEvent[] batch = [TestEvents.Offered("c1"), TestEvents.Queued("c1")];
        backend.FailNextAppends(AppendFault.BeforeCommit, AppendFault.BeforeCommit);

        await Assert.ThrowsAsync<IOException>(async () => await store.AppendBatchAsync(batch));
        await Assert.ThrowsAsync<IOException>(async () => await store.AppendBatchAsync(batch));
        Assert.Equal([1UL], Drain(live));
        Assert.Equal(1UL, await sql.GetLatestSequenceAsync());

        var retried = await store.AppendBatchAsync(batch);

        Assert.Equal([2UL, 3UL], retried.Select(r => r.Sequence));
        Assert.Equal([2UL, 3UL], Drain(live));
        Assert.Equal([1UL, 2UL, 3UL], (await store.ReadAfterAsync(0, 100)).Select(r => r.Sequence));
    }

    [Fact]
    public async Task AppendBatch_CommittedBatchNotRetried_PublishedBeforeTheNextBatch()
    {
        await using var sql = OpenBackend(await CreateDatabaseAsync());
        var backend = new FaultyStorageBackend(sql);
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(100);
        backend.FailNextAppends(AppendFault.AfterCommit);
        await Assert.ThrowsAsync<IOException>(async () => await store.AppendBatchAsync([TestEvents.Offered("c1"), TestEvents.Queued("c1")]));

        var other = await store.AppendBatchAsync([TestEvents.Offered("c2"), TestEvents.Queued("c2")]);

        Assert.Equal([3UL, 4UL], other.Select(r => r.Sequence));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], Drain(live));
        Assert.Equal(["c1", "c1", "c2", "c2"], (await store.ReadAfterAsync(0, 100)).Select(r => r.Event.CallId));
    }

    [Fact]
    public async Task AppendBatch_WhileCommitting_WatchersSeeNothingUntilCommitted()
    {
        await using var sql = OpenBackend(await CreateDatabaseAsync());
        var backend = new FaultyStorageBackend(sql);
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(100);
        var seenAtCommit = new List<(int Buffered, ulong Latest)>();
        backend.AfterCommit = _ => seenAtCommit.Add((live.Reader.Count, hub.LatestSequence));

        await store.AppendBatchAsync([TestEvents.Offered("c1"), TestEvents.Queued("c1")]);
        await store.AppendBatchAsync([TestEvents.Answered("c1")]);

        Assert.Equal([(0, 0UL), (2, 2UL)], seenAtCommit);
        Assert.Equal([1UL, 2UL, 3UL], Drain(live));
    }

    [Fact]
    public async Task AppendBatch_StatementFailsMidBatch_StoresNothingAndRetryLeavesNoGap()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(100);
        await ExecuteAsync(backend, FailDtmfInsertsSql);
        CallEvent[] batch = [TestEvents.Offered("c1"), TestEvents.Queued("c1"), TestEvents.Dtmf("c1", 1), TestEvents.Answered("c1")];

        await Assert.ThrowsAnyAsync<Exception>(async () => await store.AppendBatchAsync(batch));

        Assert.Equal(0UL, await backend.GetLatestSequenceAsync());
        Assert.Empty(await store.ReadAfterAsync(0, 100));
        Assert.Null(await backend.GetCallAsync("c1"));
        Assert.Empty(Drain(live));

        await ExecuteAsync(backend, [AllowDtmfInsertsSql]);
        var retried = await store.AppendBatchAsync(batch);

        Assert.Equal([1UL, 2UL, 3UL, 4UL], retried.Select(r => r.Sequence));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], Drain(live));
        Assert.Equal("answered", (await backend.GetCallAsync("c1"))!.State);
    }

    [Fact]
    public async Task AppendBatch_Empty_Throws()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        using var store = NewStore(backend, new EventHub());

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendBatchAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendBatchAsync([TestEvents.Offered("c1"), new CallEvent { CallId = "c1" }]));
        Assert.Empty(await store.ReadAfterAsync(0, 10));
    }

    private static List<ulong> Drain(EventSubscription subscription)
    {
        var sequences = new List<ulong>();
        while (subscription.Reader.TryRead(out var record))
        {
            sequences.Add(record.Sequence);
        }

        return sequences;
    }

    private static async Task ExecuteAsync(SqlStorageBackend backend, string[] statements)
    {
        await backend.InitializeAsync();
        await using var connection = await backend.Dialect.OpenAsync(CancellationToken.None);
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync();
        }
    }
}
