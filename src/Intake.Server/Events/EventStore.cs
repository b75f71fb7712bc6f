using Google.Protobuf.WellKnownTypes;
using Intake.Contracts.V1;
using Intake.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Events;

/// <summary>
/// Appends events a batch at a time: store (one transaction, one commit for the batch), then publish to the
/// <see cref="EventHub"/> in order. Serialising the appends makes live subscribers see sequences in order. An append
/// that failed may still have committed (the outcome of a COMMIT whose connection dropped is unknown): the next append
/// first publishes whatever the log holds beyond the last published sequence and recognises a retried batch there,
/// so the hub never skips a stored event and a retry never stores a batch twice.
/// </summary>
public sealed partial class EventStore : IEventStore, IDisposable
{
    private readonly IStorageBackend _backend;
    private readonly EventHub _hub;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EventStore> _logger;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private bool _opened;
    private bool _unsettled;
    private ulong _published;

    public EventStore(IStorageBackend backend, EventHub hub, TimeProvider timeProvider, ILogger<EventStore> logger)
    {
        _backend = backend;
        _hub = hub;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public ulong LatestSequence => _hub.LatestSequence;

    /// <summary>Initialises the storage and takes the last sequence; called at start, and by the first append otherwise.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureOpenAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _appendGate.Release();
        }
    }

    public async ValueTask<CallEventRecord> AppendAsync(CallEvent evt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var records = await AppendBatchAsync([evt], null, cancellationToken).ConfigureAwait(false);
        return records[0];
    }

    public async ValueTask<IReadOnlyList<CallEventRecord>> AppendBatchAsync(
        IReadOnlyList<CallEvent> events, IReadOnlyList<RecordingInfo>? recordings = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("The batch has no events.", nameof(events));
        }

        var toStore = new CallEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var evt = events[i] ?? throw new ArgumentException("The batch holds a null event.", nameof(events));
            if (evt.KindCase == CallEvent.KindOneofCase.None)
            {
                throw new ArgumentException("The event has no kind (offered, queued, ...).", nameof(events));
            }

            toStore[i] = evt;
            if (evt.Time is null)
            {
                toStore[i] = evt.Clone();
                toStore[i].Time = Timestamp.FromDateTimeOffset(_timeProvider.GetUtcNow());
            }
        }

        // Cancellation is honoured only while waiting for our turn: once the transaction starts, stopping half-way
        // would leave the caller unsure whether the events exist.
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureOpenAsync(CancellationToken.None).ConfigureAwait(false);
            if (_unsettled && await SettleAsync(events).ConfigureAwait(false) is { } alreadyStored)
            {
                return alreadyStored;
            }

            IReadOnlyList<CallEventRecord> records;
            try
            {
                records = await _backend.AppendEventsAsync(toStore, recordings ?? [], CancellationToken.None).ConfigureAwait(false);
                if (records[0].Sequence != _published + 1)
                {
                    await CatchUpAsync(records[0].Sequence - 1).ConfigureAwait(false);
                }
            }
            catch
            {
                // The commit may have happened although the call failed (connection lost during COMMIT), or the batch
                // is stored but an earlier gap could not be read: the next append looks before it writes.
                _unsettled = true;
                throw;
            }

            _hub.Publish(records);
            _published = records[^1].Sequence;
            return records;
        }
        finally
        {
            _appendGate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<CallEventRecord>> ReadAfterAsync(ulong afterSequence, int max, CancellationToken cancellationToken = default) =>
        await _backend.ReadEventsAfterAsync(afterSequence, max, cancellationToken).ConfigureAwait(false);

    public void Dispose() => _appendGate.Dispose();

    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_opened)
        {
            return;
        }

        await _backend.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _published = await _backend.GetLatestSequenceAsync(cancellationToken).ConfigureAwait(false);
        _hub.Reset(_published);
        _opened = true;
        LogOpened(_published);
    }

    /// <summary>Publishes stored events the hub has not seen, up to <paramref name="through"/>.</summary>
    private async Task CatchUpAsync(ulong through)
    {
        LogCatchingUp(_published, through);
        while (_published < through)
        {
            var batch = await _backend.ReadEventsAfterAsync(_published, 500, CancellationToken.None).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                // The missing events were purged meanwhile (retention): nothing is left to publish.
                _published = through;
                break;
            }

            foreach (var record in batch)
            {
                if (record.Sequence > through)
                {
                    return;
                }

                _hub.Publish(record);
                _published = record.Sequence;
            }
        }
    }

    /// <summary>
    /// After a failed append: publishes what the log holds beyond the last published sequence and, when the events
    /// of <paramref name="retried"/> are among them as one contiguous run (an earlier attempt committed after all),
    /// returns their records so that they are not stored twice.
    /// </summary>
    private async Task<IReadOnlyList<CallEventRecord>?> SettleAsync(IReadOnlyList<CallEvent> retried)
    {
        var latest = await _backend.GetLatestSequenceAsync(CancellationToken.None).ConfigureAwait(false);
        var unpublished = new List<CallEventRecord>();
        var after = _published;
        while (after < latest)
        {
            var page = await _backend.ReadEventsAfterAsync(after, 500, CancellationToken.None).ConfigureAwait(false);
            if (page.Count == 0)
            {
                // Purged meanwhile (retention): nothing is left to publish.
                break;
            }

            unpublished.AddRange(page.Where(r => r.Sequence <= latest));
            after = page[^1].Sequence;
        }

        var start = FindRun(unpublished, retried);
        if (unpublished.Count > 0)
        {
            LogSettled(_published, latest, start >= 0);
            _hub.Publish(unpublished);
        }

        _published = Math.Max(_published, latest);
        _unsettled = false;
        return start < 0 ? null : unpublished.GetRange(start, retried.Count);
    }

    private static int FindRun(List<CallEventRecord> stored, IReadOnlyList<CallEvent> run)
    {
        for (var start = 0; start + run.Count <= stored.Count; start++)
        {
            var matches = true;
            for (var i = 0; i < run.Count && matches; i++)
            {
                matches = IsStoredCopyOf(stored[start + i].Event, run[i]);
            }

            if (matches)
            {
                return start;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="stored"/> is <paramref name="evt"/> as the store wrote it (sequence set, time stamped when unset).</summary>
    private static bool IsStoredCopyOf(CallEvent stored, CallEvent evt)
    {
        var candidate = stored.Clone();
        candidate.Sequence = evt.Sequence;
        if (evt.Time is null)
        {
            candidate.Time = null;
        }

        return candidate.Equals(evt);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Event log open at sequence {Sequence}")]
    private partial void LogOpened(ulong sequence);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Publishing stored events {After}..{Through} that an earlier failed append left unpublished")]
    private partial void LogCatchingUp(ulong after, ulong through);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "After a failed append, published stored events {After}..{Through}; the retried batch was among them: {Found}")]
    private partial void LogSettled(ulong after, ulong through, bool found);
}
