using Intake.Acd.Engine;
using Intake.Server.Calls;
using Intake.Server.Dispatch;
using Intake.Server.Observability;
using Intake.Server.Operators;
using Microsoft.Extensions.Hosting;

namespace Intake.Server.Operations;

/// <summary>
/// Points the gauges of <see cref="IntakeMetrics"/> at the owners of the state they report: calls in progress,
/// ACD queues, operator registrations, the lag of each dispatch sink and the events not yet stored, all read at scrape time.
/// </summary>
public sealed class MetricsGaugeSources(
    IntakeMetrics metrics,
    CallController calls,
    AcdEngine acd,
    OperatorDirectory operators,
    IDispatchStatus dispatch,
    Intake.Server.Events.EventHub hub,
    CallEventLog events) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.RegisterGauges(
            activeCalls: () => calls.ActiveCalls,
            activeRtpSessions: calls.OpenRtpSessions,
            queues: () => acd.GetStatistics().Select(q => new QueueGaugeReading(q.Queue, q.Waiting, q.LongestCurrentWait)),
            eventConsumers: () => WatchLag(hub),
            dispatchSinks: () => dispatch.GetSinks().Select(s => new FeedLagReading(s.Endpoint, (long)Math.Min(s.Lag, long.MaxValue))),
            registrations: () => operators.RegisteredUsernames.Count,
            uncommittedEvents: () => events.Uncommitted);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Each open Watch stream: events committed to the log that it has not taken yet.</summary>
    internal static IEnumerable<FeedLagReading> WatchLag(Intake.Server.Events.EventHub hub)
    {
        var latest = hub.LatestSequence;
        foreach (var subscription in hub.Subscribers)
        {
            if (subscription.IsWatchStream)
            {
                var position = subscription.Position;
                yield return new FeedLagReading(subscription.Name, latest > position ? (long)Math.Min(latest - position, long.MaxValue) : 0);
            }
        }
    }
}
