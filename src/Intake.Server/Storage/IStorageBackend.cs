using Intake.Contracts.V1;
using Intake.Server.Events;

namespace Intake.Server.Storage;

/// <summary>Everything the server persists, in one database. Use <see cref="IEventStore"/> to append events.</summary>
public interface IStorageBackend : ICallStore, IRecordingStore, IRegistrationPersistence, IDispatchCursorStore
{
    /// <summary>Creates or upgrades the schema; idempotent, and awaited by every other operation.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: stores <paramref name="recordings"/>' rows, takes the next <c>events.Count</c> sequences,
    /// stores each event (with its sequence set) and updates the calls' rows; either all of it is committed or none.
    /// The caller serialises appends; see <see cref="EventStore"/>.
    /// </summary>
    Task<IReadOnlyList<CallEventRecord>> AppendEventsAsync(
        IReadOnlyList<CallEvent> events, IReadOnlyList<RecordingInfo> recordings, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CallEventRecord>> ReadEventsAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>The last sequence handed out (events may have been purged since).</summary>
    Task<ulong> GetLatestSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes events, calls and recordings older than <paramref name="cutoff"/>, and expired registrations.</summary>
    Task<PurgeResult> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
