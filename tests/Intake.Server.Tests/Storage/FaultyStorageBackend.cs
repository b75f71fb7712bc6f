using Intake.Contracts.V1;
using Intake.Server.Events;
using Intake.Server.Storage;

namespace Intake.Server.Tests.Storage;

/// <summary>
/// A real backend with failures injected into the event appends: before the transaction (nothing stored) or after its
/// commit (stored, yet reported as failed, as when the connection drops during COMMIT). Records every batch's size.
/// </summary>
internal sealed class FaultyStorageBackend(IStorageBackend inner) : IStorageBackend
{
    private readonly Lock _gate = new();
    private readonly List<int> _batchSizes = [];
    private readonly Queue<AppendFault> _faults = new();

    public enum AppendFault
    {
        BeforeCommit,
        AfterCommit,
    }

    /// <summary>Runs inside each append after the inner backend committed, before the result goes back to the store.</summary>
    public Action<IReadOnlyList<CallEventRecord>>? AfterCommit { get; set; }

    /// <summary>Completed when an injected fault has been thrown.</summary>
    public TaskCompletionSource FaultThrown { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Sizes of the batches that reached the inner backend, in order.</summary>
    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_gate)
            {
                return [.. _batchSizes];
            }
        }
    }

    /// <summary>Makes the next appends fail, one per fault, in order.</summary>
    public void FailNextAppends(params AppendFault[] faults)
    {
        lock (_gate)
        {
            foreach (var fault in faults)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    public async Task<IReadOnlyList<CallEventRecord>> AppendEventsAsync(
        IReadOnlyList<CallEvent> events, IReadOnlyList<RecordingInfo> recordings, CancellationToken cancellationToken = default)
    {
        AppendFault? fault;
        lock (_gate)
        {
            fault = _faults.TryDequeue(out var next) ? next : null;
        }

        if (fault == AppendFault.BeforeCommit)
        {
            FaultThrown.TrySetResult();
            throw new IOException("injected: disk I/O error before the commit");
        }

        var records = await inner.AppendEventsAsync(events, recordings, cancellationToken);
        lock (_gate)
        {
            _batchSizes.Add(events.Count);
        }

        AfterCommit?.Invoke(records);
        if (fault == AppendFault.AfterCommit)
        {
            FaultThrown.TrySetResult();
            throw new IOException("injected: connection lost during COMMIT");
        }

        return records;
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<CallEventRecord>> ReadEventsAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken = default) =>
        inner.ReadEventsAfterAsync(afterSequence, max, cancellationToken);

    public Task<ulong> GetLatestSequenceAsync(CancellationToken cancellationToken = default) => inner.GetLatestSequenceAsync(cancellationToken);

    public Task<PurgeResult> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default) => inner.PurgeAsync(cutoff, cancellationToken);

    public Task<Call?> GetCallAsync(string callId, CancellationToken cancellationToken = default) => inner.GetCallAsync(callId, cancellationToken);

    public Task<CallPage> ListCallsAsync(CallQuery query, CancellationToken cancellationToken = default) => inner.ListCallsAsync(query, cancellationToken);

    public Task SaveRecordingAsync(RecordingInfo recording, CancellationToken cancellationToken = default) => inner.SaveRecordingAsync(recording, cancellationToken);

    public Task<RecordingInfo?> GetRecordingAsync(string recordingId, CancellationToken cancellationToken = default) =>
        inner.GetRecordingAsync(recordingId, cancellationToken);

    public Task SaveRegistrationAsync(RegistrationEntry entry, CancellationToken cancellationToken = default) =>
        inner.SaveRegistrationAsync(entry, cancellationToken);

    public Task DeleteRegistrationAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteRegistrationAsync(key, cancellationToken);

    public Task<IReadOnlyList<RegistrationEntry>> LoadRegistrationsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.LoadRegistrationsAsync(now, cancellationToken);

    public Task<ulong> GetCursorAsync(string sink, CancellationToken cancellationToken = default) => inner.GetCursorAsync(sink, cancellationToken);

    public Task SetCursorAsync(string sink, ulong acknowledged, CancellationToken cancellationToken = default) =>
        inner.SetCursorAsync(sink, acknowledged, cancellationToken);
}
