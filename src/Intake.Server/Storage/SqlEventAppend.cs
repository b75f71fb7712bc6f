using System.Data.Common;
using System.Globalization;
using Google.Protobuf;
using Intake.Contracts.V1;
using Intake.Server.Events;

namespace Intake.Server.Storage;

/// <summary>
/// Appends a batch of events in one transaction: one commit (one fsync on SQLite with <c>synchronous=FULL</c>) for the
/// whole batch instead of one per event, which is what lets the log keep up with a burst of calls.
/// </summary>
internal static class SqlEventAppend
{
    public static async Task<IReadOnlyList<CallEventRecord>> AppendAsync(
        DbConnection connection, IReadOnlyList<CallEvent> events, IReadOnlyList<RecordingInfo> recordings, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Recording rows first: a recording event must never be visible without the file it announces.
        foreach (var recording in recordings)
        {
            await SqlRecordingTable.UpsertAsync(connection, transaction, recording, cancellationToken).ConfigureAwait(false);
        }

        // Taking the whole range in one update keeps the batch's sequences contiguous even with other writers
        // (several servers on one PostgreSQL): the row lock is held until the commit.
        ulong last;
        await using (var next = SqlCommands.Create(connection, transaction,
            "UPDATE intake_meta SET value = value + @count WHERE name = @name RETURNING value")
            .With("@count", (long)events.Count).With("@name", SqlSchema.SequenceKey))
        {
            last = Convert.ToUInt64(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var first = last - (ulong)events.Count + 1;
        var records = new CallEventRecord[events.Count];
        var calls = new Dictionary<string, (Call Call, ulong Sequence)>(StringComparer.Ordinal);
        await using var insert = SqlCommands.Create(connection, transaction,
            "INSERT INTO events (sequence, call_id, kind, queue, time_ms, payload) VALUES (@sequence, @call_id, @kind, @queue, @time_ms, @payload)");
        var sequenceParameter = insert.AddParameter("@sequence");
        var callIdParameter = insert.AddParameter("@call_id");
        var kindParameter = insert.AddParameter("@kind");
        var queueParameter = insert.AddParameter("@queue");
        var timeParameter = insert.AddParameter("@time_ms");
        var payloadParameter = insert.AddParameter("@payload");
        for (var i = 0; i < events.Count; i++)
        {
            var stored = events[i].Clone();
            stored.Sequence = first + (ulong)i;
            var queue = string.Empty;
            if (stored.CallId.Length > 0)
            {
                // A call with several events in the batch is read once and written once, with its last sequence.
                var call = calls.TryGetValue(stored.CallId, out var known)
                    ? known.Call
                    : await SqlCallTable.FindAsync(connection, transaction, stored.CallId, cancellationToken).ConfigureAwait(false)
                        ?? new Call { CallId = stored.CallId };
                CallProjection.Apply(call, stored);
                calls[stored.CallId] = (call, stored.Sequence);
                queue = call.Queue;
            }

            var record = new CallEventRecord(stored, queue);
            sequenceParameter.Value = (long)stored.Sequence;
            callIdParameter.Value = stored.CallId;
            kindParameter.Value = record.Kind;
            queueParameter.Value = queue;
            timeParameter.Value = SqlCommands.ToUnixMs(stored.Time.ToDateTimeOffset());
            payloadParameter.Value = stored.ToByteArray();
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            records[i] = record;
        }

        foreach (var (call, sequence) in calls.Values)
        {
            await SqlCallTable.UpsertAsync(connection, transaction, call, sequence, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return records;
    }
}
