using System.Data.Common;

namespace Intake.Server.Storage;

/// <summary>The retention purge's statements, in one transaction so that a call never outlives its events half-way.</summary>
internal static class SqlRetention
{
    public static async Task<PurgeResult> PurgeAsync(SqlStorageBackend backend, DateTimeOffset cutoff, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cutoffMs = SqlCommands.ToUnixMs(cutoff);
        await using var connection = await backend.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var paths = new List<string>();
        await using (var select = SqlCommands.Create(connection, transaction,
            "SELECT path FROM recordings WHERE created_at < @cutoff").With("@cutoff", cutoffMs))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                paths.Add(reader.GetString(0));
            }
        }

        await ExecuteAsync(connection, transaction, "DELETE FROM recordings WHERE created_at < @cutoff", cutoffMs, cancellationToken).ConfigureAwait(false);
        var events = await ExecuteAsync(connection, transaction, "DELETE FROM events WHERE time_ms < @cutoff", cutoffMs, cancellationToken).ConfigureAwait(false);
        var calls = await ExecuteAsync(connection, transaction,
            "DELETE FROM calls WHERE COALESCE(ended_at, arrived_at) < @cutoff", cutoffMs, cancellationToken).ConfigureAwait(false);
        var registrations = await ExecuteAsync(connection, transaction,
            "DELETE FROM registrations WHERE expires_at <= @cutoff", SqlCommands.ToUnixMs(now), cancellationToken).ConfigureAwait(false);

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PurgeResult(events, calls, paths, registrations);
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long cutoffMs, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, sql).With("@cutoff", cutoffMs);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
