using Intake.Contracts.V1;
using Intake.Server.Events;

namespace Intake.Server.Storage;

/// <summary>Everything the server persists, in one database. Use <see cref="IEventStore"/> to append events.</summary>
public interface IStorageBackend : ICallStore, IRecordingStore, IRegistrationPersistence, IDispatchCursorStore
{
    /// <summary>Creates or upgrades the schema; idempotent, and awaited by every other operation.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: takes the next sequence, stores the event (with that sequence set) and updates the call's
    /// row. The caller serialises appends; see <see cref="EventStore"/>.
    /// </summary>
    Task<CallEventRecord> AppendEventAsync(CallEvent evt, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<CallEventRecord>> ReadEventsAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken = default);

    /// <summary>The last sequence handed out (events may have been purged since).</summary>
    Task<ulong> GetLatestSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes events, calls and recordings older than <paramref name="cutoff"/>, and expired registrations.</summary>
    Task<PurgeResult> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
