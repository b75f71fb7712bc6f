using System.Data.Common;

namespace Intake.Server.Storage;

/// <summary>
/// Creates and upgrades the schema at start. Each migration runs once, in its own transaction, and records its
/// version in <c>intake_meta</c>; every statement is also written to be harmless when repeated.
/// </summary>
internal static class SqlSchema
{
    public const string SequenceKey = "sequence";
    private const string VersionKey = "schema_version";

    public static async Task MigrateAsync(ISqlDialect dialect, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await dialect.PrepareDatabaseAsync(connection, cancellationToken).ConfigureAwait(false);

        await using (var create = SqlCommands.Create(connection, null,
            "CREATE TABLE IF NOT EXISTS intake_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var migrations = Migrations(dialect);
        for (var version = await ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
             version < migrations.Count;
             version++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var statement in migrations[(int)version])
            {
                await using var command = SqlCommands.Create(connection, transaction, statement);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var record = SqlCommands.Create(connection, transaction,
                "INSERT INTO intake_meta (name, value) VALUES (@name, @value) " +
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value")
                .With("@name", VersionKey).With("@value", version + 1))
            {
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<long> ReadVersionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, null, "SELECT value FROM intake_meta WHERE name = @name")
            .With("@name", VersionKey);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } value
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>Index = version it upgrades from. Append new migrations; never edit a released one.</summary>
    private static List<string[]> Migrations(ISqlDialect d) =>
    [
        [
            // The sequence counter is a row, not MAX(sequence): it survives the retention purge and row-locks
            // concurrent writers, so sequences stay gap-free and never reused.
            $"INSERT INTO intake_meta (name, value) VALUES ('{SequenceKey}', 0) ON CONFLICT (name) DO NOTHING",
            $"""
            CREATE TABLE IF NOT EXISTS events (
                sequence BIGINT PRIMARY KEY,
                call_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                queue TEXT NOT NULL,
                time_ms BIGINT NOT NULL,
                payload {d.BlobType} NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS events_call_id ON events (call_id, sequence)",
            "CREATE INDEX IF NOT EXISTS events_time ON events (time_ms)",
            $"""
            CREATE TABLE IF NOT EXISTS calls (
                call_id TEXT PRIMARY KEY,
                state TEXT NOT NULL,
                queue TEXT NOT NULL,
                caller_number TEXT NOT NULL,
                caller_display_name TEXT NOT NULL,
                asserted_identity TEXT NOT NULL,
                dialled_number TEXT NOT NULL,
                arrived_at BIGINT NOT NULL,
                answered_at BIGINT NULL,
                ended_at BIGINT NULL,
                operator TEXT NOT NULL,
                outcome TEXT NOT NULL,
                recording_id TEXT NOT NULL,
                location {d.BlobType} NULL,
                last_sequence BIGINT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS calls_arrived ON calls (arrived_at, call_id)",
            "CREATE INDEX IF NOT EXISTS calls_state ON calls (state, arrived_at)",
            $"""
            CREATE TABLE IF NOT EXISTS recordings (
                recording_id TEXT PRIMARY KEY,
                call_id TEXT NOT NULL,
                path TEXT NOT NULL,
                duration_seconds {d.DoubleType} NOT NULL,
                size_bytes BIGINT NOT NULL,
                sha256 TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS recordings_created ON recordings (created_at)",
            $"""
            CREATE TABLE IF NOT EXISTS registrations (
                key TEXT PRIMARY KEY,
                value {d.BlobType} NOT NULL,
                expires_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS dispatch_cursors (
                sink TEXT PRIMARY KEY,
                acknowledged BIGINT NOT NULL,
                updated_at BIGINT NOT NULL)
            """,
        ],
    ];
}
