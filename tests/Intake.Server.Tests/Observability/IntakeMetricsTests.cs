using Intake.Media.Rtp;
using Intake.Server.Observability;

namespace Intake.Server.Tests.Observability;

public sealed class IntakeMetricsTests : IDisposable
{
    private readonly MetricsCapture _capture = new();

    private IntakeMetrics Metrics => _capture.Metrics;

    public void Dispose() => _capture.Dispose();

    private static RtpQualitySnapshot Rtp(long received, long sent, long lost, double jitter) =>
        new(received, received * 160, sent, sent * 160, lost, 0, 0, 0, jitter, null, null, null, 0, 0, 0);

    [Fact]
    public void SipRequestReceived_KnownAndUnknownMethods_CountedByMethodWithUnknownAsOther()
    {
        Metrics.SipRequestReceived("INVITE");
        Metrics.SipRequestReceived("INVITE");
        Metrics.SipRequestReceived("OPTIONS");
        Metrics.SipRequestReceived("XYZZY");

        Assert.Equal(2, _capture.Sum("intake.sip.requests.received", ("method", "INVITE")));
        Assert.Equal(1, _capture.Sum("intake.sip.requests.received", ("method", "OPTIONS")));
        Assert.Equal(1, _capture.Sum("intake.sip.requests.received", ("method", "other")));
        Assert.Equal(0, _capture.Sum("intake.sip.requests.received", ("method", "XYZZY")));
    }

    [Fact]
    public void SipResponseSent_Codes_TaggedByCodeAndClass()
    {
        Metrics.SipResponseSent(100);
        Metrics.SipResponseSent(200);
        Metrics.SipResponseSent(486);
        Metrics.SipResponseSent(403);
        Metrics.SipResponseSent(42);

        Assert.Equal(1, _capture.Sum("intake.sip.responses.sent", ("code", "200"), ("class", "2xx")));
        Assert.Equal(2, _capture.Sum("intake.sip.responses.sent", ("class", "4xx")));
        Assert.Equal(1, _capture.Sum("intake.sip.responses.sent", ("code", "other"), ("class", "other")));
        Assert.Equal(5, _capture.Sum("intake.sip.responses.sent"));
    }

    [Fact]
    public void Retransmissions_SentAndReceived_TaggedByDirection()
    {
        Metrics.RetransmissionSent("INVITE");
        Metrics.RetransmissionSent("BYE");
        Metrics.RetransmissionReceived("INVITE");

        Assert.Equal(2, _capture.Sum("intake.sip.retransmissions", ("direction", "sent")));
        Assert.Equal(1, _capture.Sum("intake.sip.retransmissions", ("direction", "received"), ("method", "INVITE")));
    }

    [Fact]
    public void InviteTryingSent_Latency_RecordedInMilliseconds()
    {
        Metrics.InviteTryingSent(TimeSpan.FromMilliseconds(3.5));

        Assert.Equal(3.5, _capture.Sum("intake.sip.invite.trying_latency"), 6);
    }

    [Fact]
    public void CallCounters_ReceivedAndEnded_TaggedByTrunkAndOutcome()
    {
        Metrics.CallReceived("carrier-a");
        Metrics.CallReceived(string.Empty);
        Metrics.CallEnded("answered");
        Metrics.CallEnded("abandoned");
        Metrics.CallEnded("answered");

        Assert.Equal(1, _capture.Sum("intake.calls.received", ("trunk", "carrier-a")));
        Assert.Equal(1, _capture.Sum("intake.calls.received", ("trunk", "any")));
        Assert.Equal(2, _capture.Sum("intake.calls.ended", ("outcome", "answered")));
        Assert.Equal(1, _capture.Sum("intake.calls.ended", ("outcome", "abandoned")));
    }

    [Fact]
    public void SecurityAndRecordingCounters_Move()
    {
        Metrics.SourceRejectedByAcl("INVITE");
        Metrics.SourceRateLimited("REGISTER");
        Metrics.SourceRateLimited("REGISTER");
        Metrics.RecordingBytesWritten(4096);
        Metrics.RecordingBytesWritten(0);
        Metrics.RecordingFailed("io_error");

        Assert.Equal(1, _capture.Sum("intake.security.requests_rejected", ("reason", "acl"), ("method", "INVITE")));
        Assert.Equal(2, _capture.Sum("intake.security.requests_rejected", ("reason", "rate_limit"), ("method", "REGISTER")));
        Assert.Equal(4096, _capture.Sum("intake.recording.written"));
        Assert.Equal(1, _capture.Sum("intake.recording.failures", ("reason", "io_error")));
    }

    [Fact]
    public void RegisterGauges_Callbacks_ReadAtObservationTime()
    {
        var active = 3;
        Metrics.RegisterGauges(
            activeCalls: () => active,
            registrations: () => 7,
            queues: () => [new QueueGaugeReading("police", 2, TimeSpan.FromSeconds(12.5)), new QueueGaugeReading("fire", 0, TimeSpan.Zero)]);
        Metrics.RegisterGauges(
            eventConsumers: () => [new FeedLagReading("console-1", 4)],
            dispatchSinks: () => [new FeedLagReading("https://cad.example/events", 17)],
            uncommittedEvents: () => 9);

        Assert.Equal(3, Assert.Single(_capture.Observe("intake.calls.active")).Value);
        active = 5;
        Assert.Equal(5, Assert.Single(_capture.Observe("intake.calls.active")).Value);
        Assert.Equal(7, Assert.Single(_capture.Observe("intake.sip.registrations.active")).Value);
        Assert.Equal(2, Assert.Single(_capture.Observe("intake.queue.calls_waiting", ("queue", "police"))).Value);
        Assert.Equal(0, Assert.Single(_capture.Observe("intake.queue.calls_waiting", ("queue", "fire"))).Value);
        Assert.Equal(12.5, Assert.Single(_capture.Observe("intake.queue.longest_wait", ("queue", "police"))).Value);
        Assert.Equal(4, Assert.Single(_capture.Observe("intake.events.consumer_lag", ("consumer", "console-1"))).Value);
        Assert.Equal(17, Assert.Single(_capture.Observe("intake.dispatch.sink_lag", ("sink", "https://cad.example/events"))).Value);
        Assert.Equal(9, Assert.Single(_capture.Observe("intake.events.uncommitted")).Value);
    }

    [Fact]
    public void RegisterGauges_NothingRegistered_GaugesReportNothing()
    {
        Assert.Empty(_capture.Observe("intake.calls.active"));
        Assert.Empty(_capture.Observe("intake.queue.calls_waiting"));
        Assert.Empty(_capture.Observe("intake.rtp.jitter.max"));
    }

    [Fact]
    public void RegisterGauges_ThrowingCallback_ReportsNothingForItOnly()
    {
        Metrics.RegisterGauges(activeCalls: () => throw new InvalidOperationException("broken"), registrations: () => 2);

        Assert.Empty(_capture.Observe("intake.calls.active"));
        Assert.Equal(2, Assert.Single(_capture.Observe("intake.sip.registrations.active")).Value);
    }

    [Fact]
    public void RtpTotals_OpenAndEndedSessions_AddUpAndNeverDecrease()
    {
        var open = new List<RtpQualitySnapshot> { Rtp(100, 90, 2, 4.5), Rtp(50, 50, 0, 9.0) };
        Metrics.RegisterGauges(activeRtpSessions: () => open);

        Assert.Equal(150, Assert.Single(_capture.Observe("intake.rtp.packets", ("direction", "received"))).Value);
        Assert.Equal(140, Assert.Single(_capture.Observe("intake.rtp.packets", ("direction", "sent"))).Value);
        Assert.Equal(2, Assert.Single(_capture.Observe("intake.rtp.packets_lost")).Value);
        Assert.Equal(9.0, Assert.Single(_capture.Observe("intake.rtp.jitter.max")).Value);

        var final = Rtp(120, 110, 3, 4.0);
        open.RemoveAt(0);
        Metrics.RtpSessionEnded(final);

        Assert.Equal(170, Assert.Single(_capture.Observe("intake.rtp.packets", ("direction", "received"))).Value);
        Assert.Equal(160, Assert.Single(_capture.Observe("intake.rtp.packets", ("direction", "sent"))).Value);
        Assert.Equal(3, Assert.Single(_capture.Observe("intake.rtp.packets_lost")).Value);
        Assert.Equal(9.0, Assert.Single(_capture.Observe("intake.rtp.jitter.max")).Value);

        open.Clear();
        Assert.Equal(0, Assert.Single(_capture.Observe("intake.rtp.jitter.max")).Value);
        Assert.Equal(120, Assert.Single(_capture.Observe("intake.rtp.packets", ("direction", "received"))).Value);
    }
}
