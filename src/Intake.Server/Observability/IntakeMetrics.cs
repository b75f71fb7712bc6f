using System.Diagnostics.Metrics;
using Intake.Server.Security;

namespace Intake.Server.Observability;

/// <summary>
/// The server's instruments on the meter <see cref="MeterName"/>. Push instruments are fed by the methods below from
/// the call path; gauges read state through callbacks given to <see cref="RegisterGauges"/>, so the figures come
/// from the owners of that state at scrape time instead of being mirrored. Every method is thread-safe and
/// allocation-free; tag values come from closed sets (unknown SIP methods are counted as "other") so that a
/// hostile peer cannot blow up the number of time series.
/// </summary>
public sealed partial class IntakeMetrics
{
    public const string MeterName = "Intake";

    private static readonly string[] StatusCodeTags = [.. Enumerable.Range(100, 600).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly string[] StatusClassTags = ["1xx", "2xx", "3xx", "4xx", "5xx", "6xx"];

    private readonly Counter<long> _sipRequests;
    private readonly Counter<long> _sipResponses;
    private readonly Counter<long> _retransmissions;
    private readonly Histogram<double> _inviteTrying;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _inboundShed;
    private readonly Counter<long> _callsReceived;
    private readonly Counter<long> _callsEnded;
    private readonly Counter<long> _recordingBytes;
    private readonly Counter<long> _recordingFailures;

    public IntakeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(new MeterOptions(MeterName));
        _sipRequests = Meter.CreateCounter<long>("intake.sip.requests.received", "{request}", "SIP requests received, by method.");
        _sipResponses = Meter.CreateCounter<long>("intake.sip.responses.sent", "{response}", "SIP responses sent, by status code and class.");
        _retransmissions = Meter.CreateCounter<long>("intake.sip.retransmissions", "{message}", "SIP retransmissions sent by us or received from peers.");
        _inviteTrying = Meter.CreateHistogram(
            "intake.sip.invite.trying_latency",
            "ms",
            "Time from receiving an INVITE to sending its 100 Trying.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });
        _rejected = Meter.CreateCounter<long>("intake.security.requests_rejected", "{request}", "SIP requests refused by the trunk list or the rate limiter.");
        _inboundShed = Meter.CreateCounter<long>("intake.sip.inbound.shed", "{message}", "SIP messages dropped unparsed because the receive path's low-priority queue was full.");
        _callsReceived = Meter.CreateCounter<long>("intake.calls.received", "{call}", "Emergency calls received, by trunk.");
        _callsEnded = Meter.CreateCounter<long>("intake.calls.ended", "{call}", "Emergency calls ended, by outcome.");
        _recordingBytes = Meter.CreateCounter<long>("intake.recording.written", "By", "Bytes written to recording files.");
        _recordingFailures = Meter.CreateCounter<long>("intake.recording.failures", "{failure}", "Recordings that failed or lost audio, by reason.");
        CreateObservableInstruments();
    }

    /// <summary>The meter the instruments live on (one per <see cref="IMeterFactory"/>, so tests do not see each other).</summary>
    public Meter Meter { get; }

    public void SipRequestReceived(string method) =>
        _sipRequests.Add(1, new KeyValuePair<string, object?>("method", MethodTag(method)));

    /// <summary>Counts a response by its code (100-699, else "other") and class ("2xx").</summary>
    public void SipResponseSent(int status)
    {
        var inRange = status is >= 100 and <= 699;
        _sipResponses.Add(
            1,
            new KeyValuePair<string, object?>("code", inRange ? StatusCodeTags[status - 100] : "other"),
            new KeyValuePair<string, object?>("class", inRange ? StatusClassTags[(status / 100) - 1] : "other"));
    }

    /// <summary>We sent a request or response again because the peer did not acknowledge it (RFC 3261 timers A, E, G).</summary>
    public void RetransmissionSent(string method) => Retransmission(method, "sent");

    /// <summary>A peer sent a request again, answered from the transaction: the peer did not hear our answer in time.</summary>
    public void RetransmissionReceived(string method) => Retransmission(method, "received");

    public void InviteTryingSent(TimeSpan sinceInviteReceived) => _inviteTrying.Record(sinceInviteReceived.TotalMilliseconds);

    /// <summary>A request from a source outside every configured trunk was refused (403).</summary>
    public void SourceRejectedByAcl(string method) => Rejected("acl", method);

    /// <summary>A request was dropped or refused because its source had used up its <see cref="SourceRateLimiter"/> bucket.</summary>
    public void SourceRateLimited(string method) => Rejected("rate_limit", method);

    /// <summary>A low-priority datagram was dropped unparsed because the receive path's low-priority queue was full.</summary>
    public void InboundShed() => _inboundShed.Add(1);

    /// <summary>An emergency call was accepted from <paramref name="trunk"/> (a configured trunk name, or empty when every source is allowed).</summary>
    public void CallReceived(string trunk) =>
        _callsReceived.Add(1, new KeyValuePair<string, object?>("trunk", trunk.Length == 0 ? "any" : trunk));

    /// <summary>A call ended; <paramref name="outcome"/> should come from a fixed set (answered, abandoned, overflowed, rejected...).</summary>
    public void CallEnded(string outcome) => _callsEnded.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordingBytesWritten(long bytes)
    {
        if (bytes > 0)
        {
            _recordingBytes.Add(bytes);
        }
    }

    /// <summary>A recording failed or dropped audio; <paramref name="reason"/> from a fixed set (io_error, queue_full...).</summary>
    public void RecordingFailed(string reason) => _recordingFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static string MethodTag(string method) => method switch
    {
        "INVITE" or "ACK" or "BYE" or "CANCEL" or "OPTIONS" or "REGISTER" or "INFO" or "UPDATE" or "PRACK"
            or "SUBSCRIBE" or "NOTIFY" or "REFER" or "MESSAGE" or "PUBLISH" => method,
        _ => "other",
    };

    private void Rejected(string reason, string method) =>
        _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("method", MethodTag(method)));

    private void Retransmission(string method, string direction) =>
        _retransmissions.Add(1, new KeyValuePair<string, object?>("method", MethodTag(method)), new KeyValuePair<string, object?>("direction", direction));
}
