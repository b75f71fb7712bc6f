using Google.Protobuf.WellKnownTypes;
using Intake.Contracts.V1;
using Intake.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Events;

/// <summary>
/// Appends events one at a time: store (one transaction), commit, then publish to the <see cref="EventHub"/>.
/// Serialising the appends makes live subscribers see sequences in order, and a failed publish or an append whose
/// commit outcome is unknown is repaired before the next publish by re-reading the gap from the store, so the hub
/// never skips a stored event.
/// </summary>
public sealed partial class EventStore : IEventStore, IDisposable
{
    private readonly IStorageBackend _backend;
    private readonly EventHub _hub;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<EventStore> _logger;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private bool _opened;
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
        if (evt.KindCase == CallEvent.KindOneofCase.None)
        {
            throw new ArgumentException("The event has no kind (offered, queued, ...).", nameof(evt));
        }

        var toStore = evt;
        if (evt.Time is null)
        {
            toStore = evt.Clone();
            toStore.Time = Timestamp.FromDateTimeOffset(_timeProvider.GetUtcNow());
        }

        // Cancellation is honoured only while waiting for our turn: once the transaction starts, stopping half-way
        // would leave the caller unsure whether the event exists.
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureOpenAsync(CancellationToken.None).ConfigureAwait(false);
            var record = await _backend.AppendEventAsync(toStore, CancellationToken.None).ConfigureAwait(false);
            if (record.Sequence != _published + 1)
            {
                await CatchUpAsync(record.Sequence - 1).ConfigureAwait(false);
            }

            _hub.Publish(record);
            _published = record.Sequence;
            return record;
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

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Event log open at sequence {Sequence}")]
    private partial void LogOpened(ulong sequence);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Publishing stored events {After}..{Through} that an earlier failed append left unpublished")]
    private partial void LogCatchingUp(ulong after, ulong through);
}
