using Intake.Server.Storage;

namespace Intake.Server.Tests.Storage;

public sealed class SqliteEventStoreTests : EventStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private int _databases;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Open_NewFile_UsesWalJournal()
    {
        var database = await CreateDatabaseAsync();
        await using var backend = OpenBackend(database);
        await backend.InitializeAsync();

        await using var connection = await backend.Dialect.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        command.CommandText = "PRAGMA synchronous;";
        Assert.Equal(2L, (long)(await command.ExecuteScalarAsync())!);
    }

    protected override string[] FailDtmfInsertsSql =>
        ["CREATE TRIGGER test_fail_dtmf BEFORE INSERT ON events WHEN NEW.kind = 'dtmf' BEGIN SELECT RAISE(ABORT, 'injected failure'); END"];

    protected override string AllowDtmfInsertsSql => "DROP TRIGGER test_fail_dtmf";

    protected override Task<string> CreateDatabaseAsync()
    {
        var directory = Path.Combine(_directory.Path, $"db{Interlocked.Increment(ref _databases)}");
        Directory.CreateDirectory(directory);
        return Task.FromResult(SqliteDialect.ForDirectory(directory));
    }

    protected override SqlStorageBackend OpenBackend(string database) => new(new SqliteDialect(database), Time);
}
