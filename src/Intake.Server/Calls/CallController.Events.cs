using Intake.Contracts.V1;
using Intake.Server.Callers;
using Intake.Server.Storage;
using Intake.Sip.Messages;

namespace Intake.Server.Calls;

/// <summary>What dispatch is told about a call's beginning and end.</summary>
public sealed partial class CallController
{
    private void PublishOffered(EmergencyCall call, SipRequest request, string source)
    {
        var metadata = CallerMetadata.Read(request);
        call.CallerNumber = metadata.Identity.Number ?? "";
        call.CallerDisplayName = metadata.Identity.DisplayName ?? "";
        var offered = new CallOffered
        {
            DialledNumber = call.DialledNumber,
            Queue = call.Queue.Name,
            SourceAddress = source,
            Trunk = call.Trunk,
            SipCallId = request.CallId ?? "",
        };
        metadata.ApplyTo(offered);
        events.Publish(call.Id, new CallEvent { Offered = offered });
    }

    /// <summary>The ended event (durations, quality), then the sealed recording.</summary>
    private void PublishEnd(EmergencyCall call)
    {
        var end = call.EndedAt ?? time.GetUtcNow();
        var leg = call.BridgedLeg;
        var queueEnd = leg?.StartedAt ?? end;
        var ended = new CallEnded
        {
            HungUpBy = call.HungUpBy ?? "server",
            Outcome = call.Outcome ?? (leg is null ? "abandoned" : leg.IsOverflow ? "overflowed" : "answered"),
            QueueSeconds = Math.Max(0, (queueEnd - call.ArrivedAt).TotalSeconds),
            RingSeconds = leg?.AnsweredAt is { } answered ? (answered - leg.StartedAt).TotalSeconds : 0,
            TalkSeconds = leg?.AnsweredAt is { } talkStart ? Math.Max(0, (end - talkStart).TotalSeconds) : 0,
            Operator = leg is { IsOverflow: false } ? leg.Target : "",
            CallerLeg = Quality(call.CallerQuality),
            OperatorLeg = Quality(call.OperatorQuality),
        };
        events.Publish(call.Id, new CallEvent { Ended = ended });
        CountEnded(call, ended.Outcome);

        if (call.Recording is { } recording)
        {
            var id = call.Id;
            var info = new RecordingInfo(id, call.Id, recording.Path, recording.Duration.TotalSeconds, (ulong)recording.SizeBytes, recording.Sha256, end);

            // The file's metadata is committed with the event that announces it (one transaction of the event log).
            events.Publish(call.Id, new CallEvent
            {
                Recording = new RecordingAvailable
                {
                    RecordingId = id,
                    DurationSeconds = recording.Duration.TotalSeconds,
                    SizeBytes = (ulong)recording.SizeBytes,
                    Sha256 = recording.Sha256,
                },
            }, info);
        }
    }

    private void PublishDtmf(EmergencyCall call, Intake.Media.Codecs.DtmfEvent dtmf)
    {
        // Only the caller's RTP is watched for RFC 4733 events; the operator's digits are not reported.
        events.Publish(call.Id, new CallEvent
        {
            Dtmf = new DtmfReceived
            {
                Digit = dtmf.Digit.ToString(),
                Leg = "caller",
                // Intake announces telephone-event/8000 only, so a timestamp unit is 1/8 ms.
                DurationMs = dtmf.Duration / 8u,
            },
        });
    }

    private static LegQuality Quality(Intake.Media.Rtp.RtpQualitySnapshot? snapshot) => snapshot is not { } q
        ? new LegQuality()
        : new LegQuality
        {
            PacketsReceived = (ulong)Math.Max(0, q.PacketsReceived),
            PacketsLost = (ulong)Math.Max(0, q.PacketsLost),
            JitterMs = q.JitterMilliseconds,
            RttMs = q.RoundTripMilliseconds ?? 0,
        };

    private string DisplayNameOf(string username) =>
        config.Operators.FirstOrDefault(o => o.Username == username)?.DisplayName is { Length: > 0 } name ? name : username;
}
