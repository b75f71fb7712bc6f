using System.Threading.Channels;
using Intake.Contracts.V1;
using Intake.Server.Events;
using Intake.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Calls;

/// <summary>
/// Hands call and operator events to the durable log in the order they happen, off the SIP receive path: the
/// signalling thread only enqueues, one writer appends. The writer takes everything queued (up to
/// <see cref="MaxBatch"/>) and appends it as one batch, so a burst of calls costs one commit (one fsync) per batch
/// rather than per event, and an event waits at most for the batch in front of it. The store commits each batch
/// before publishing it. Stopping drains the queue, so nothing that happened is lost on a clean shutdown.
/// </summary>
/// <remarks>
/// A plain hosted service rather than a <see cref="BackgroundService"/>: a background service stopped right after it
/// started may never run its loop (.NET 10 starts it on the thread pool with the stopping token), and the events
/// queued in that window would never be written. Here the writer is started unconditionally and stopping waits for it.
/// </remarks>
public sealed partial class CallEventLog(IEventStore store, TimeProvider time, ILogger<CallEventLog> logger) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private Task? _writer;

    /// <summary>The most events appended in one transaction; bounds the delay a large backlog adds to its first event.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<(CallEvent Event, RecordingInfo? Recording)> _pending =
        Channel.CreateUnbounded<(CallEvent Event, RecordingInfo? Recording)>(new UnboundedChannelOptions { SingleReader = true });

    private long _uncommitted;

    /// <summary>
    /// Events published but not yet committed to the store: queued, or in a batch being written or retried. Grows
    /// while the store fails (disk full, database down); the events are kept and written once it recovers.
    /// </summary>
    public long Uncommitted => Interlocked.Read(ref _uncommitted);

    /// <summary>
    /// Queues an event; its time is taken now, when it happened, not when it is written. A <paramref name="recording"/>'s
    /// metadata is stored in the same transaction as the event, so a client told about the recording can download it.
    /// </summary>
    public void Publish(string callId, CallEvent evt, RecordingInfo? recording = null)
    {
        if (evt.KindCase == CallEvent.KindOneofCase.None)
        {
            // The store would refuse it on every retry and hold up every event behind it.
            LogRejectedWithoutKind(callId);
            return;
        }

        evt.CallId = callId;
        evt.Time ??= Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time.GetUtcNow());
        Interlocked.Increment(ref _uncommitted);
        if (!_pending.Writer.TryWrite((evt, recording)))
        {
            Interlocked.Decrement(ref _uncommitted);
            LogDroppedAfterStop(evt.KindCase.ToString(), callId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureWriter();
        return Task.CompletedTask;
    }

    /// <summary>
    /// No more events are taken; returns once everything queued is stored (or when <paramref name="cancellationToken"/>
    /// gives up waiting: the writer then goes on as long as the process lives).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await EnsureWriter().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _pending.Writer.TryComplete();

    private Task EnsureWriter()
    {
        lock (_gate)
        {
            // Also when stopped without being started: whatever was queued is still written.
            return _writer ??= Task.Run(WriteAsync, CancellationToken.None);
        }
    }

    private async Task WriteAsync()
    {
        var events = new List<CallEvent>(MaxBatch);
        var recordings = new List<RecordingInfo>();

        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (events.Count < MaxBatch && _pending.Reader.TryRead(out var item))
            {
                events.Add(item.Event);
                if (item.Recording is { } recording)
                {
                    recordings.Add(recording);
                }
            }

            await AppendWithRetryAsync(events, recordings).ConfigureAwait(false);
            Interlocked.Add(ref _uncommitted, -events.Count);
            events.Clear();
            recordings.Clear();
        }
    }

    private async Task AppendWithRetryAsync(List<CallEvent> events, List<RecordingInfo> recordings)
    {
        // A store error (disk full, database locked) must not lose the events: retry the same batch, as a whole, with
        // a growing pause. The store recognises a batch that an attempt reported as failed but did commit.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.AppendBatchAsync(events, recordings).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                LogAppendFailed(ex, events.Count, events[0].KindCase.ToString(), events[0].CallId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 20 * attempt)), time).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "Batch of {Count} events (first: {Kind} of call {CallId}) not stored (attempt {Attempt}); retrying")]
    private partial void LogAppendFailed(Exception exception, int count, string kind, string callId, int attempt);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Event {Kind} of call {CallId} arrived after the event log stopped")]
    private partial void LogDroppedAfterStop(string kind, string callId);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "Event of call {CallId} has no kind; not stored")]
    private partial void LogRejectedWithoutKind(string callId);
}
