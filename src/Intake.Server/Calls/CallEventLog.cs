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
public sealed partial class CallEventLog(IEventStore store, TimeProvider time, ILogger<CallEventLog> logger) : BackgroundService
{
    /// <summary>The most events appended in one transaction; bounds the delay a large backlog adds to its first event.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<(CallEvent Event, RecordingInfo? Recording)> _pending =
        Channel.CreateUnbounded<(CallEvent Event, RecordingInfo? Recording)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Events queued but not yet taken into a batch.</summary>
    public int Backlog => _pending.Reader.Count;

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
        if (!_pending.Writer.TryWrite((evt, recording)))
        {
            LogDroppedAfterStop(evt.KindCase.ToString(), callId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var events = new List<CallEvent>(MaxBatch);
        var recordings = new List<RecordingInfo>();

        // The stopping token is not passed on: events already queued are written even while the host stops.
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
            events.Clear();
            recordings.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
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
