using Intake.Contracts.V1;
using Intake.Server.Storage;

namespace Intake.Server.Events;

/// <summary>
/// The ordered, durable event log: the one place where call and operator state changes are written. Everything else
/// (the Watch feed, dispatch push, the call table) reads from it.
/// </summary>
public interface IEventStore
{
    /// <summary>The highest sequence stored (and published); 0 while the log is empty.</summary>
    ulong LatestSequence { get; }

    /// <summary>
    /// Stores <paramref name="evt"/> with the next gap-free sequence (and the current time when <c>Time</c> is unset),
    /// updates the call's row in the same transaction, commits, and only then publishes it to live subscribers.
    /// The caller's message is not modified: the stored copy is in the returned record.
    /// </summary>
    ValueTask<CallEventRecord> AppendAsync(CallEvent evt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="events"/> with the next consecutive sequences, in order, and <paramref name="recordings"/>'
    /// metadata, all in one transaction (one commit), then publishes the events in order. When it throws, nothing of
    /// the batch has been published; calling it again with the same events is safe even if the failed attempt did
    /// commit (the events are recognised in the log and published once, not stored twice), provided they carry their
    /// <c>Time</c>.
    /// </summary>
    ValueTask<IReadOnlyList<CallEventRecord>> AppendBatchAsync(
        IReadOnlyList<CallEvent> events, IReadOnlyList<RecordingInfo>? recordings = null, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> stored events with a sequence greater than <paramref name="afterSequence"/>, in order.</summary>
    ValueTask<IReadOnlyList<CallEventRecord>> ReadAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken = default);
}
