using System.Data.Common;
using Intake.Contracts.V1;
using Intake.Server.Events;

namespace Intake.Server.Storage;

/// <summary>The store on a SQL database; the same statements run on SQLite and PostgreSQL through <see cref="ISqlDialect"/>.</summary>
public sealed class SqlStorageBackend : IStorageBackend, IAsyncDisposable
{
    private readonly ISqlDialect _dialect;
    private readonly TimeProvider _timeProvider;
    private readonly Lazy<Task> _initialized;

    public SqlStorageBackend(ISqlDialect dialect, TimeProvider timeProvider)
    {
        _dialect = dialect;
        _timeProvider = timeProvider;
        _initialized = new Lazy<Task>(() => SqlSchema.MigrateAsync(dialect, CancellationToken.None));
    }

    public ISqlDialect Dialect => _dialect;

    public Task InitializeAsync(CancellationToken cancellationToken = default) => _initialized.Value.WaitAsync(cancellationToken);

    public async Task<IReadOnlyList<CallEventRecord>> AppendEventsAsync(
        IReadOnlyList<CallEvent> events, IReadOnlyList<RecordingInfo> recordings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentOutOfRangeException.ThrowIfZero(events.Count);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SqlEventAppend.AppendAsync(connection, events, recordings, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CallEventRecord>> ReadEventsAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlCommands.Create(connection, null,
            "SELECT queue, payload FROM events WHERE sequence > @after ORDER BY sequence LIMIT @max")
            .With("@after", (long)Math.Min(afterSequence, long.MaxValue)).With("@max", max);
        return await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ulong> GetLatestSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlCommands.Create(connection, null, "SELECT value FROM intake_meta WHERE name = @name")
            .With("@name", SqlSchema.SequenceKey);
        return Convert.ToUInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<Call?> GetCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var call = await SqlCallTable.FindAsync(connection, null, callId, cancellationToken).ConfigureAwait(false);
        if (call is null)
        {
            return null;
        }

        await using var command = SqlCommands.Create(connection, null,
            "SELECT queue, payload FROM events WHERE call_id = @id ORDER BY sequence").With("@id", callId);
        foreach (var record in await ReadRecordsAsync(command, cancellationToken).ConfigureAwait(false))
        {
            call.Events.Add(record.Event);
        }

        return call;
    }

    public async Task<CallPage> ListCallsAsync(CallQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SqlCallTable.ListAsync(connection, query, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveRecordingAsync(RecordingInfo recording, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqlRecordingTable.UpsertAsync(connection, null, recording, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RecordingInfo?> GetRecordingAsync(string recordingId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SqlRecordingTable.FindAsync(connection, recordingId, cancellationToken).ConfigureAwait(false);
    }

    public async Task SaveRegistrationAsync(RegistrationEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlCommands.Create(connection, null,
            "INSERT INTO registrations (key, value, expires_at) VALUES (@key, @value, @expires) " +
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at")
            .With("@key", entry.Key).With("@value", entry.Value).With("@expires", SqlCommands.ToUnixMs(entry.ExpiresAt));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteRegistrationAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlCommands.Create(connection, null, "DELETE FROM registrations WHERE key = @key").With("@key", key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RegistrationEntry>> LoadRegistrationsAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlCommands.Create(connection, null,
            "SELECT key, value, expires_at FROM registrations WHERE expires_at > @now ORDER BY key")
            .With("@now", SqlCommands.ToUnixMs(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<RegistrationEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new RegistrationEntry(reader.GetString(0), (byte[])reader.GetValue(1), SqlCommands.FromUnixMs(reader.GetInt64(2))));
        }

        return result;
    }

    public async Task<ulong> GetCursorAsync(string sink, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlCommands.Create(connection, null, "SELECT acknowledged FROM dispatch_cursors WHERE sink = @sink")
            .With("@sink", sink);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } value and not DBNull
            ? Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    public async Task SetCursorAsync(string sink, ulong acknowledged, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqlCommands.Create(connection, null,
            "INSERT INTO dispatch_cursors (sink, acknowledged, updated_at) VALUES (@sink, @ack, @now) " +
            "ON CONFLICT (sink) DO UPDATE SET acknowledged = excluded.acknowledged, updated_at = excluded.updated_at")
            .With("@sink", sink).With("@ack", (long)acknowledged).With("@now", SqlCommands.ToUnixMs(_timeProvider.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<PurgeResult> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) =>
        SqlRetention.PurgeAsync(this, cutoff, _timeProvider.GetUtcNow(), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_dialect is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<CallEventRecord>> ReadRecordsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var result = new List<CallEventRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new CallEventRecord(CallEvent.Parser.ParseFrom((byte[])reader.GetValue(1)), reader.GetString(0)));
        }

        return result;
    }
}
