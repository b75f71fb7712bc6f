using Intake.Server.Events;
using Intake.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Server.Tests.Storage;

public sealed class RetentionServiceTests
{
    [Fact]
    public async Task PurgeOnce_RecordingOlderThanRetention_DeletesRowsAndFile()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(TestEvents.Epoch);
        await using var backend = new SqlStorageBackend(new SqliteDialect(SqliteDialect.ForDirectory(directory.Path)), time);
        using var store = new EventStore(backend, new EventHub(), time, NullLogger<EventStore>.Instance);
        var oldFile = Path.Combine(directory.Path, "old.wav");
        var newFile = Path.Combine(directory.Path, "new.wav");
        await File.WriteAllBytesAsync(oldFile, [1]);
        await File.WriteAllBytesAsync(newFile, [2]);
        await store.AppendAsync(TestEvents.Offered("old", at: TestEvents.Epoch.AddDays(-31)));
        await store.AppendAsync(TestEvents.Offered("new", at: TestEvents.Epoch.AddDays(-29)));
        await backend.SaveRecordingAsync(new RecordingInfo("r-old", "old", oldFile, 1, 1, "x", TestEvents.Epoch.AddDays(-31)));
        await backend.SaveRecordingAsync(new RecordingInfo("r-new", "new", newFile, 1, 1, "x", TestEvents.Epoch.AddDays(-29)));
        var service = new RetentionService(backend, Options.Create(new StorageOptions { RetentionDays = 30 }), time, NullLogger<RetentionService>.Instance);

        var result = await service.PurgeOnceAsync(CancellationToken.None);

        Assert.NotNull(result);
        Assert.Equal(1, result.Events);
        Assert.False(File.Exists(oldFile));
        Assert.True(File.Exists(newFile));
        Assert.Null(await backend.GetCallAsync("old"));
        Assert.NotNull(await backend.GetCallAsync("new"));
    }

    [Fact]
    public async Task PurgeOnce_RetentionZero_KeepsEverything()
    {
        using var directory = new TempDirectory();
        var time = new FakeTimeProvider(TestEvents.Epoch);
        await using var backend = new SqlStorageBackend(new SqliteDialect(SqliteDialect.ForDirectory(directory.Path)), time);
        var service = new RetentionService(backend, Options.Create(new StorageOptions { RetentionDays = 0 }), time, NullLogger<RetentionService>.Instance);

        Assert.Null(await service.PurgeOnceAsync(CancellationToken.None));
    }

    [Fact]
    public void Validate_BadValues_NameTheKeys()
    {
        var errors = new StorageOptions { Provider = "oracle", RetentionDays = -1 }.Validate();
        var postgres = new StorageOptions { Provider = "postgres" }.Validate();

        Assert.Contains(errors, e => e.StartsWith("Storage:Provider", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Storage:RetentionDays", StringComparison.Ordinal));
        Assert.Contains(postgres, e => e.StartsWith("Storage:ConnectionString", StringComparison.Ordinal));
    }
}
