using System.Diagnostics.Metrics;
using Intake.Media.Rtp;

namespace Intake.Server.Observability;

public sealed partial class IntakeMetrics
{
    private volatile Func<int>? _activeCalls;
    private volatile Func<IEnumerable<QueueGaugeReading>>? _queues;
    private volatile Func<IEnumerable<RtpQualitySnapshot>>? _rtpSessions;
    private volatile Func<IEnumerable<FeedLagReading>>? _eventConsumers;
    private volatile Func<IEnumerable<FeedLagReading>>? _dispatchSinks;
    private volatile Func<int>? _registrations;
    private volatile Func<long>? _uncommittedEvents;
    private long _endedRtpReceived;
    private long _endedRtpSent;
    private long _endedRtpLost;

    /// <summary>
    /// Gives the callbacks the gauges read at scrape time; each non-null argument replaces the previous one, so the
    /// owners of the state may register at different times. A callback runs on the scraping thread: it must be
    /// thread-safe and quick (copy a few numbers, no I/O). One that throws yields no figure for that scrape.
    /// </summary>
    /// <param name="activeCalls">Emergency calls in progress (queued, ringing or bridged).</param>
    /// <param name="queues">Every ACD queue, including empty ones so that their gauges drop to zero.</param>
    /// <param name="activeRtpSessions">The RTP sessions open now; see <see cref="RtpSessionEnded"/> for closed ones.</param>
    /// <param name="eventConsumers">Watch subscribers of the event feed, by a stable name (client or subscription id).</param>
    /// <param name="dispatchSinks">Dispatch push sinks, by endpoint.</param>
    /// <param name="registrations">Operator registrations currently bound.</param>
    /// <param name="uncommittedEvents">Call events published but not yet committed to the event store.</param>
    public void RegisterGauges(
        Func<int>? activeCalls = null,
        Func<IEnumerable<QueueGaugeReading>>? queues = null,
        Func<IEnumerable<RtpQualitySnapshot>>? activeRtpSessions = null,
        Func<IEnumerable<FeedLagReading>>? eventConsumers = null,
        Func<IEnumerable<FeedLagReading>>? dispatchSinks = null,
        Func<int>? registrations = null,
        Func<long>? uncommittedEvents = null)
    {
        _activeCalls = activeCalls ?? _activeCalls;
        _queues = queues ?? _queues;
        _rtpSessions = activeRtpSessions ?? _rtpSessions;
        _eventConsumers = eventConsumers ?? _eventConsumers;
        _dispatchSinks = dispatchSinks ?? _dispatchSinks;
        _registrations = registrations ?? _registrations;
        _uncommittedEvents = uncommittedEvents ?? _uncommittedEvents;
    }

    /// <summary>
    /// Folds a closed session's final figures into the RTP totals. Call it after the session has left the set that
    /// the <c>activeRtpSessions</c> callback returns, or its packets are counted twice for a scrape.
    /// </summary>
    public void RtpSessionEnded(in RtpQualitySnapshot final)
    {
        Interlocked.Add(ref _endedRtpReceived, final.PacketsReceived);
        Interlocked.Add(ref _endedRtpSent, final.PacketsSent);
        Interlocked.Add(ref _endedRtpLost, final.PacketsLost);
    }

    private static IEnumerable<Measurement<T>> Observe<TReading, T>(Func<IEnumerable<TReading>>? source, Func<TReading, Measurement<T>> map)
        where T : struct =>
        [.. Read(source).Select(map)];

    private static List<T> Read<T>(Func<IEnumerable<T>>? source)
    {
        if (source is null)
        {
            return [];
        }

        try
        {
            return [.. source()];
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A broken callback must not break the scrape of every other instrument.
            return [];
        }
    }

    private static IEnumerable<Measurement<T>> ObserveValue<T>(Func<T>? source)
        where T : struct =>
        Observe(source is null ? null : () => [source()], (T value) => new Measurement<T>(value));

    private void CreateObservableInstruments()
    {
        Meter.CreateObservableGauge("intake.calls.active", () => ObserveValue(_activeCalls), "{call}", "Emergency calls in progress.");
        Meter.CreateObservableGauge("intake.sip.registrations.active", () => ObserveValue(_registrations), "{registration}", "Operator registrations currently bound.");
        Meter.CreateObservableGauge(
            "intake.queue.calls_waiting",
            () => Observe(_queues, q => new Measurement<int>(q.Waiting, new KeyValuePair<string, object?>("queue", q.Queue))),
            "{call}",
            "Calls waiting in each ACD queue.");
        Meter.CreateObservableGauge(
            "intake.queue.longest_wait",
            () => Observe(_queues, q => new Measurement<double>(q.LongestWait.TotalSeconds, new KeyValuePair<string, object?>("queue", q.Queue))),
            "s",
            "How long the oldest waiting call of each queue has waited.");
        Meter.CreateObservableGauge(
            "intake.events.consumer_lag",
            () => Observe(_eventConsumers, c => new Measurement<long>(c.LagEvents, new KeyValuePair<string, object?>("consumer", c.Name))),
            "{event}",
            "Events each Watch subscriber is behind the event log.");
        Meter.CreateObservableGauge(
            "intake.events.uncommitted",
            () => ObserveValue(_uncommittedEvents),
            "{event}",
            "Call events published but not yet committed to the event store (grows while the store fails).");
        Meter.CreateObservableGauge(
            "intake.dispatch.sink_lag",
            () => Observe(_dispatchSinks, s => new Measurement<long>(s.LagEvents, new KeyValuePair<string, object?>("sink", s.Name))),
            "{event}",
            "Events each dispatch sink has not acknowledged yet.");
        Meter.CreateObservableCounter("intake.rtp.packets", ObserveRtpPackets, "{packet}", "RTP packets received from and sent to peers.");
        Meter.CreateObservableCounter("intake.rtp.packets_lost", ObserveRtpLost, "{packet}", "RTP packets expected from peers but never received.");
        Meter.CreateObservableGauge("intake.rtp.jitter.max", ObserveRtpJitter, "ms", "Highest interarrival jitter among the open RTP sessions.");
    }

    private IEnumerable<Measurement<long>> ObserveRtpPackets()
    {
        var received = Interlocked.Read(ref _endedRtpReceived);
        var sent = Interlocked.Read(ref _endedRtpSent);
        foreach (var open in OpenRtpSessions())
        {
            received += open.PacketsReceived;
            sent += open.PacketsSent;
        }

        return
        [
            new Measurement<long>(received, new KeyValuePair<string, object?>("direction", "received")),
            new Measurement<long>(sent, new KeyValuePair<string, object?>("direction", "sent")),
        ];
    }

    private Measurement<long> ObserveRtpLost()
    {
        var lost = Interlocked.Read(ref _endedRtpLost);
        foreach (var open in OpenRtpSessions())
        {
            lost += open.PacketsLost;
        }

        return new Measurement<long>(lost);
    }

    private IEnumerable<Measurement<double>> ObserveRtpJitter()
    {
        if (_rtpSessions is null)
        {
            return [];
        }

        var max = 0.0;
        foreach (var open in OpenRtpSessions())
        {
            max = Math.Max(max, open.JitterMilliseconds);
        }

        return [new Measurement<double>(max)];
    }

    private List<RtpQualitySnapshot> OpenRtpSessions() => Read(_rtpSessions);
}
