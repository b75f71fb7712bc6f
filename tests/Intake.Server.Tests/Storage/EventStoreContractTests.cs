using Google.Protobuf.WellKnownTypes;
using Intake.Contracts.V1;
using Intake.Server.Events;
using Intake.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Server.Tests.Storage;

/// <summary>The behaviour every storage provider must have; run once per provider by the derived classes.</summary>
public abstract partial class EventStoreContractTests
{
    protected FakeTimeProvider Time { get; } = new(TestEvents.Epoch);

    /// <summary>A backend on a database that survives the backend (so that a second one can reopen it).</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract SqlStorageBackend OpenBackend(string database);

    [Fact]
    public async Task Append_ConcurrentAppends_SequencesGapFreeAndInOrder()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        var hub = new EventHub();
        using var store = NewStore(backend, hub);
        using var live = hub.Subscribe(10_000);

        const int Writers = 8;
        const int PerWriter = 40;
        var appended = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var sequences = new List<ulong>();
            for (var i = 0; i < PerWriter; i++)
            {
                sequences.Add((await store.AppendAsync(TestEvents.Dtmf($"call-{w}", i))).Sequence);
            }

            return sequences;
        })));

        var all = appended.SelectMany(s => s).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(i => (ulong)i), all);
        foreach (var perWriter in appended)
        {
            Assert.Equal(perWriter.Order(), perWriter);
        }

        var stored = await store.ReadAfterAsync(0, 1000);
        Assert.Equal(all, stored.Select(r => r.Sequence));
        Assert.All(stored, r => Assert.Equal(r.Sequence, r.Event.Sequence));

        var published = new List<ulong>();
        while (live.Reader.TryRead(out var record))
        {
            published.Add(record.Sequence);
        }

        Assert.Equal(all, published);
    }

    [Fact]
    public async Task ReadAfter_Position_ReturnsLaterEventsUpToMax()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        using var store = NewStore(backend, new EventHub());
        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync(TestEvents.Dtmf("c1", i));
        }

        var page = await store.ReadAfterAsync(4, 3);

        Assert.Equal([5UL, 6UL, 7UL], page.Select(r => r.Sequence));
        Assert.Empty(await store.ReadAfterAsync(10, 5));
    }

    [Fact]
    public async Task Reopen_SameDatabase_KeepsEventsAndContinuesSequence()
    {
        var database = await CreateDatabaseAsync();
        await using (var first = OpenBackend(database))
        {
            using var store = NewStore(first, new EventHub());
            await store.AppendAsync(TestEvents.Offered("c1"));
            await store.AppendAsync(TestEvents.Queued("c1"));
        }

        await using var second = OpenBackend(database);
        var hub = new EventHub();
        using var reopened = NewStore(second, hub);
        await reopened.OpenAsync();
        Assert.Equal(2UL, reopened.LatestSequence);

        var next = await reopened.AppendAsync(TestEvents.Answered("c1"));

        Assert.Equal(3UL, next.Sequence);
        Assert.Equal([1UL, 2UL, 3UL], (await reopened.ReadAfterAsync(0, 10)).Select(r => r.Sequence));
        Assert.Equal("answered", (await second.GetCallAsync("c1"))!.State);
    }

    [Fact]
    public async Task Append_CallLifecycle_ProjectsCallRowWithEvents()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        using var store = NewStore(backend, new EventHub());
        var t0 = TestEvents.Epoch;
        await store.AppendAsync(TestEvents.Offered("c1", "medical", "+212611", t0));
        await store.AppendAsync(TestEvents.Queued("c1", "medical", t0.AddSeconds(1)));
        await store.AppendAsync(TestEvents.Answered("c1", "bob", t0.AddSeconds(5)));
        await store.AppendAsync(new CallEvent { CallId = "c1", Time = Timestamp.FromDateTimeOffset(t0.AddSeconds(40)), Recording = new RecordingAvailable { RecordingId = "r1" } });
        var ended = await store.AppendAsync(TestEvents.Ended("c1", "answered", t0.AddSeconds(35)));

        var call = await backend.GetCallAsync("c1");

        Assert.NotNull(call);
        Assert.Equal("ended", call.State);
        Assert.Equal("medical", call.Queue);
        Assert.Equal("+212611", call.CallerNumber);
        Assert.Equal("bob", call.Operator);
        Assert.Equal("answered", call.Outcome);
        Assert.Equal("r1", call.RecordingId);
        Assert.Equal(t0, call.ArrivedAt.ToDateTimeOffset());
        Assert.Equal(t0.AddSeconds(5), call.AnsweredAt.ToDateTimeOffset());
        Assert.Equal(t0.AddSeconds(35), call.EndedAt.ToDateTimeOffset());
        Assert.Equal(33.5731, call.Location.Latitude);
        Assert.Equal(5, call.Events.Count);
        Assert.Equal("medical", ended.Queue);
        Assert.Null(await backend.GetCallAsync("nope"));
    }

    [Fact]
    public async Task Append_WithoutTime_StampsCurrentTime()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        using var store = NewStore(backend, new EventHub());
        var evt = TestEvents.Dtmf("c1", 1);

        var record = await store.AppendAsync(evt);

        Assert.Equal(Time.GetUtcNow(), record.Event.Time.ToDateTimeOffset());
        Assert.Null(evt.Time);
        Assert.Equal(0UL, evt.Sequence);
    }

    [Fact]
    public async Task ListCalls_PagedAndFiltered_ReturnsEachMatchOnceNewestFirst()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        using var store = NewStore(backend, new EventHub());
        for (var i = 0; i < 25; i++)
        {
            var id = $"c{i:D2}";
            await store.AppendAsync(TestEvents.Offered(id, i % 2 == 0 ? "police" : "fire", at: TestEvents.Epoch.AddMinutes(i / 2)));
            if (i % 5 == 0)
            {
                await store.AppendAsync(TestEvents.Abandoned(id, TestEvents.Epoch.AddMinutes(i / 2).AddSeconds(9)));
            }
        }

        var seen = new List<Call>();
        CallPageToken? after = null;
        for (var page = 0; page < 10; page++)
        {
            var result = await backend.ListCallsAsync(new CallQuery { PageSize = 4, After = after });
            seen.AddRange(result.Calls);
            after = result.Next;
            if (after is null)
            {
                break;
            }
        }

        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Select(c => c.CallId).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(c => c.ArrivedAt.ToDateTimeOffset()).ThenByDescending(c => c.CallId, StringComparer.Ordinal).Select(c => c.CallId), seen.Select(c => c.CallId));

        var abandoned = await backend.ListCallsAsync(new CallQuery { State = "abandoned", PageSize = 100 });
        Assert.Equal(["c20", "c15", "c10", "c05", "c00"], abandoned.Calls.Select(c => c.CallId));

        var policeInRange = await backend.ListCallsAsync(new CallQuery
        {
            Queue = "police",
            From = TestEvents.Epoch.AddMinutes(2),
            To = TestEvents.Epoch.AddMinutes(4),
        });
        Assert.Equal(["c06", "c04"], policeInRange.Calls.Select(c => c.CallId));
    }

    [Fact]
    public async Task Recordings_SaveThenGet_RoundTrips()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        var info = new RecordingInfo("r1", "c1", "/var/lib/intake/r1.wav", 12.5, 200_044, new string('a', 64), TestEvents.Epoch);

        await backend.SaveRecordingAsync(info);

        Assert.Equal(info, await backend.GetRecordingAsync("r1"));
        Assert.Null(await backend.GetRecordingAsync("r2"));
    }

    [Fact]
    public async Task Registrations_SaveLoadDelete_ReturnsOnlyUnexpired()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        await backend.SaveRegistrationAsync(new RegistrationEntry("alice", [1, 2], TestEvents.Epoch.AddMinutes(5)));
        await backend.SaveRegistrationAsync(new RegistrationEntry("bob", [3], TestEvents.Epoch.AddMinutes(-1)));
        await backend.SaveRegistrationAsync(new RegistrationEntry("carol", [4], TestEvents.Epoch.AddMinutes(5)));
        await backend.SaveRegistrationAsync(new RegistrationEntry("alice", [9], TestEvents.Epoch.AddMinutes(10)));
        await backend.DeleteRegistrationAsync("carol");

        var loaded = await backend.LoadRegistrationsAsync(TestEvents.Epoch);

        var only = Assert.Single(loaded);
        Assert.Equal("alice", only.Key);
        Assert.Equal([9], only.Value);
    }

    [Fact]
    public async Task Cursor_SetThenGet_ReturnsLastValuePerSink()
    {
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        Assert.Equal(0UL, await backend.GetCursorAsync("http://a"));

        await backend.SetCursorAsync("http://a", 7);
        await backend.SetCursorAsync("http://a", 9);
        await backend.SetCursorAsync("http://b", 3);

        Assert.Equal(9UL, await backend.GetCursorAsync("http://a"));
        Assert.Equal(3UL, await backend.GetCursorAsync("http://b"));
    }

    [Fact]
    public async Task Purge_OlderThanCutoff_RemovesEventsCallsRecordingsAndKeepsSequence()
    {
        using var files = new TempDirectory();
        await using var backend = OpenBackend(await CreateDatabaseAsync());
        using var store = NewStore(backend, new EventHub());
        var old = TestEvents.Epoch.AddDays(-100);
        await store.AppendAsync(TestEvents.Offered("old", at: old));
        await store.AppendAsync(TestEvents.Ended("old", at: old.AddMinutes(1)));
        await store.AppendAsync(TestEvents.Offered("new", at: TestEvents.Epoch));
        var oldFile = Path.Combine(files.Path, "old.wav");
        await File.WriteAllBytesAsync(oldFile, [1, 2, 3]);
        await backend.SaveRecordingAsync(new RecordingInfo("r-old", "old", oldFile, 1, 3, "x", old));
        await backend.SaveRecordingAsync(new RecordingInfo("r-new", "new", "/nonexistent", 1, 3, "x", TestEvents.Epoch));

        var result = await backend.PurgeAsync(TestEvents.Epoch.AddDays(-90));

        Assert.Equal(2, result.Events);
        Assert.Equal(1, result.Calls);
        Assert.Equal([oldFile], result.RecordingPaths);
        Assert.Null(await backend.GetCallAsync("old"));
        Assert.Null(await backend.GetRecordingAsync("r-old"));
        Assert.NotNull(await backend.GetRecordingAsync("r-new"));
        Assert.Equal([3UL], (await store.ReadAfterAsync(0, 10)).Select(r => r.Sequence));
        Assert.Equal(4UL, (await store.AppendAsync(TestEvents.Queued("new"))).Sequence);
    }

    [Fact]
    public async Task Initialize_Twice_IsIdempotent()
    {
        var database = await CreateDatabaseAsync();
        await using (var first = OpenBackend(database))
        {
            await first.InitializeAsync();
        }

        await using var second = OpenBackend(database);
        await second.InitializeAsync();

        Assert.Equal(0UL, await second.GetLatestSequenceAsync());
    }

    private EventStore NewStore(IStorageBackend backend, EventHub hub) =>
        new(backend, hub, Time, NullLogger<EventStore>.Instance);
}
