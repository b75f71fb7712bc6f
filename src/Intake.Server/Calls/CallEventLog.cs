using System.Threading.Channels;
using Intake.Contracts.V1;
using Intake.Server.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Calls;

/// <summary>
/// Hands call and operator events to the durable log in the order they happen, off the SIP receive path: the
/// signalling thread only enqueues, one writer appends (the store commits each before publishing it).
/// Stopping drains the queue, so nothing that happened is lost on a clean shutdown.
/// </summary>
public sealed partial class CallEventLog(IEventStore store, TimeProvider time, ILogger<CallEventLog> logger) : BackgroundService
{
    private readonly Channel<CallEvent> _pending = Channel.CreateUnbounded<CallEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Events queued but not yet committed.</summary>
    public int Backlog => _pending.Reader.Count;

    /// <summary>Queues an event; its time is taken now, when it happened, not when it is written.</summary>
    public void Publish(string callId, CallEvent evt)
    {
        evt.CallId = callId;
        evt.Time ??= Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(time.GetUtcNow());
        if (!_pending.Writer.TryWrite(evt))
        {
            LogDroppedAfterStop(evt.KindCase.ToString(), callId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The stopping token is not passed on: events already queued are written even while the host stops.
        while (await _pending.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (_pending.Reader.TryRead(out var evt))
            {
                await AppendWithRetryAsync(evt).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _pending.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task AppendWithRetryAsync(CallEvent evt)
    {
        // A store error (disk full, database locked) must not lose the event: retry with a growing pause.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.AppendAsync(evt).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                LogAppendFailed(ex, evt.KindCase.ToString(), evt.CallId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 20 * attempt)), time).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "Event {Kind} of call {CallId} not stored (attempt {Attempt}); retrying")]
    private partial void LogAppendFailed(Exception exception, string kind, string callId, int attempt);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Event {Kind} of call {CallId} arrived after the event log stopped")]
    private partial void LogDroppedAfterStop(string kind, string callId);
}
