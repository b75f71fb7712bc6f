using System.Data.Common;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Intake.Contracts.V1;

namespace Intake.Server.Storage;

/// <summary>Reads and writes rows of the <c>calls</c> table as <see cref="Call"/> messages.</summary>
internal static class SqlCallTable
{
    private const string Columns =
        "call_id, state, queue, caller_number, caller_display_name, asserted_identity, dialled_number, " +
        "arrived_at, answered_at, ended_at, operator, outcome, recording_id, location";

    public static async Task<Call?> FindAsync(DbConnection connection, DbTransaction? transaction, string callId, CancellationToken cancellationToken)
    {
        await using var command = SqlCommands.Create(connection, transaction, $"SELECT {Columns} FROM calls WHERE call_id = @id")
            .With("@id", callId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public static async Task UpsertAsync(DbConnection connection, DbTransaction transaction, Call call, ulong sequence, CancellationToken cancellationToken)
    {
        const string Sql =
            $"INSERT INTO calls ({Columns}, last_sequence) VALUES (@call_id, @state, @queue, @caller_number, @caller_display_name, " +
            "@asserted_identity, @dialled_number, @arrived_at, @answered_at, @ended_at, @operator, @outcome, @recording_id, " +
            "@location, @last_sequence) ON CONFLICT (call_id) DO UPDATE SET state = excluded.state, queue = excluded.queue, " +
            "caller_number = excluded.caller_number, caller_display_name = excluded.caller_display_name, " +
            "asserted_identity = excluded.asserted_identity, dialled_number = excluded.dialled_number, " +
            "arrived_at = excluded.arrived_at, answered_at = excluded.answered_at, ended_at = excluded.ended_at, " +
            "operator = excluded.operator, outcome = excluded.outcome, recording_id = excluded.recording_id, " +
            "location = excluded.location, last_sequence = excluded.last_sequence";
        await using var command = SqlCommands.Create(connection, transaction, Sql)
            .With("@call_id", call.CallId)
            .With("@state", call.State)
            .With("@queue", call.Queue)
            .With("@caller_number", call.CallerNumber)
            .With("@caller_display_name", call.CallerDisplayName)
            .With("@asserted_identity", call.AssertedIdentity)
            .With("@dialled_number", call.DialledNumber)
            .With("@arrived_at", ToMs(call.ArrivedAt) ?? 0)
            .With("@answered_at", ToMs(call.AnsweredAt))
            .With("@ended_at", ToMs(call.EndedAt))
            .With("@operator", call.Operator)
            .With("@outcome", call.Outcome)
            .With("@recording_id", call.RecordingId)
            .With("@location", call.Location?.ToByteArray())
            .With("@last_sequence", (long)sequence);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<CallPage> ListAsync(DbConnection connection, CallQuery query, CancellationToken cancellationToken)
    {
        var pageSize = Math.Clamp(query.PageSize <= 0 ? CallQuery.DefaultPageSize : query.PageSize, 1, CallQuery.MaxPageSize);
        var sql = new StringBuilder($"SELECT {Columns} FROM calls WHERE 1 = 1");
        await using var command = SqlCommands.Create(connection, null, string.Empty);
        if (query.From is { } from)
        {
            sql.Append(" AND arrived_at >= @from");
            command.With("@from", SqlCommands.ToUnixMs(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND arrived_at < @to");
            command.With("@to", SqlCommands.ToUnixMs(to));
        }

        AddEquals(sql, command, "state", query.State);
        AddEquals(sql, command, "caller_number", query.CallerNumber);
        AddEquals(sql, command, "queue", query.Queue);
        if (query.After is { } after)
        {
            sql.Append(" AND (arrived_at < @after_ms OR (arrived_at = @after_ms AND call_id < @after_id))");
            command.With("@after_ms", after.ArrivedAtMs).With("@after_id", after.CallId);
        }

        // One row more than the page tells whether there is a next page without a COUNT.
        sql.Append(" ORDER BY arrived_at DESC, call_id DESC LIMIT @limit");
        command.With("@limit", pageSize + 1);
        command.CommandText = sql.ToString();

        var calls = new List<Call>(pageSize + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                calls.Add(Read(reader));
            }
        }

        if (calls.Count <= pageSize)
        {
            return new CallPage(calls, null);
        }

        calls.RemoveAt(calls.Count - 1);
        var last = calls[^1];
        return new CallPage(calls, new CallPageToken(ToMs(last.ArrivedAt) ?? 0, last.CallId));
    }

    private static void AddEquals(StringBuilder sql, DbCommand command, string column, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            sql.Append(" AND ").Append(column).Append(" = @").Append(column);
            command.With("@" + column, value);
        }
    }

    private static Call Read(DbDataReader reader)
    {
        var call = new Call
        {
            CallId = reader.GetString(0),
            State = reader.GetString(1),
            Queue = reader.GetString(2),
            CallerNumber = reader.GetString(3),
            CallerDisplayName = reader.GetString(4),
            AssertedIdentity = reader.GetString(5),
            DialledNumber = reader.GetString(6),
            ArrivedAt = FromMs(reader.GetInt64(7)),
            AnsweredAt = FromMs(SqlCommands.NullableInt64(reader, 8)),
            EndedAt = FromMs(SqlCommands.NullableInt64(reader, 9)),
            Operator = reader.GetString(10),
            Outcome = reader.GetString(11),
            RecordingId = reader.GetString(12),
        };
        if (!reader.IsDBNull(13))
        {
            call.Location = Location.Parser.ParseFrom((byte[])reader.GetValue(13));
        }

        return call;
    }

    private static long? ToMs(Timestamp? time) => time is null ? null : SqlCommands.ToUnixMs(time.ToDateTimeOffset());

    private static Timestamp? FromMs(long? ms) => ms is { } value ? Timestamp.FromDateTimeOffset(SqlCommands.FromUnixMs(value)) : null;
}
