using System.Data.Common;

namespace Intake.Server.Storage;

/// <summary>Reads and writes rows of the <c>recordings</c> table.</summary>
internal static class SqlRecordingTable
{
    public static async Task UpsertAsync(DbConnection connection, DbTransaction? transaction, RecordingInfo recording, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction,
            "INSERT INTO recordings (recording_id, call_id, path, duration_seconds, size_bytes, sha256, created_at) " +
            "VALUES (@id, @call_id, @path, @duration, @size, @sha256, @created) ON CONFLICT (recording_id) DO UPDATE SET " +
            "call_id = excluded.call_id, path = excluded.path, duration_seconds = excluded.duration_seconds, " +
            "size_bytes = excluded.size_bytes, sha256 = excluded.sha256, created_at = excluded.created_at")
            .With("@id", recording.RecordingId)
            .With("@call_id", recording.CallId)
            .With("@path", recording.Path)
            .With("@duration", recording.DurationSeconds)
            .With("@size", (long)recording.SizeBytes)
            .With("@sha256", recording.Sha256)
            .With("@created", SqlCommands.ToUnixMs(recording.CreatedAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<RecordingInfo?> FindAsync(DbConnection connection, string recordingId, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, null,
            "SELECT call_id, path, duration_seconds, size_bytes, sha256, created_at FROM recordings WHERE recording_id = @id")
            .With("@id", recordingId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new RecordingInfo(recordingId, reader.GetString(0), reader.GetString(1), reader.GetDouble(2),
            (ulong)reader.GetInt64(3), reader.GetString(4), SqlCommands.FromUnixMs(reader.GetInt64(5)));
    }
}
