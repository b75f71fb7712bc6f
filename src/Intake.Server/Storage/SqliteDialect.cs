using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Intake.Server.Storage;

/// <summary>
/// SQLite in WAL mode with <c>synchronous=FULL</c>. WAL lets Watch replays and call queries read while an append
/// writes. FULL (rather than NORMAL) makes every commit fsync the WAL: with NORMAL a power cut can roll back the last
/// commits although their events were already pushed to Watch clients and dispatch sinks, and the next events would
/// then reuse those sequence numbers, which consumers de-duplicate away. The cost is one fsync per commit, and the
/// event log commits whatever is queued as one batch (<see cref="Calls.CallEventLog"/>), not one event at a time.
/// </summary>
public sealed class SqliteDialect : ISqlDialect
{
    private readonly string _connectionString;

    public SqliteDialect(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString)
        {
            Pooling = true,
            Mode = SqliteOpenMode.ReadWriteCreate,
        };
        _connectionString = builder.ConnectionString;
        DataSource = builder.DataSource;
    }

    public string Name => "sqlite";

    public string DataSource { get; }

    public string BlobType => "BLOB";

    public string DoubleType => "REAL";

    /// <summary>The connection string of a database file <c>intake.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static string ForDirectory(string dataDirectory) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "intake.db") }.ConnectionString;

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();

            // Per connection, not stored in the file. busy_timeout covers writers other than the serialised appends
            // (dispatch cursors, recordings, purge).
            command.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite database '{DataSource}' refused WAL journal mode (got '{mode}').");
        }
    }
}
