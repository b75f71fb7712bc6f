using Intake.Contracts.V1;

namespace Intake.Server.Events;

/// <summary>How one event changes a call's row. Pure: the store applies it inside the append transaction.</summary>
public static class CallProjection
{
    public static void Apply(Call call, CallEvent evt)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(evt);
        var time = evt.Time;
        switch (evt.KindCase)
        {
            case CallEvent.KindOneofCase.Offered:
                var offered = evt.Offered;
                call.State = "offered";
                call.Queue = offered.Queue;
                call.CallerNumber = offered.CallerNumber;
                call.CallerDisplayName = offered.CallerDisplayName;
                call.AssertedIdentity = offered.AssertedIdentity;
                call.DialledNumber = offered.DialledNumber;
                call.ArrivedAt = time;
                call.Location = offered.Location?.Clone();
                break;
            case CallEvent.KindOneofCase.Queued:
                call.State = "queued";
                if (evt.Queued.Queue.Length > 0)
                {
                    call.Queue = evt.Queued.Queue;
                }

                break;
            case CallEvent.KindOneofCase.Ringing:
                call.State = "ringing";
                break;
            case CallEvent.KindOneofCase.Answered:
                call.State = "answered";
                call.Operator = evt.Answered.Operator;
                call.AnsweredAt = time;
                break;
            case CallEvent.KindOneofCase.Overflowed:
                call.State = "overflowed";
                break;
            case CallEvent.KindOneofCase.Abandoned:
                call.State = "abandoned";
                call.EndedAt ??= time;
                if (call.CallerNumber.Length == 0)
                {
                    call.CallerNumber = evt.Abandoned.CallerNumber;
                }

                break;
            case CallEvent.KindOneofCase.Ended:
                ApplyEnded(call, evt.Ended, time);
                break;
            case CallEvent.KindOneofCase.Recording:
                call.RecordingId = evt.Recording.RecordingId;
                break;
            default:
                break;
        }

        // A call first seen through another event still gets an arrival time, so that it sorts and pages.
        call.ArrivedAt ??= time;
        if (call.State.Length == 0)
        {
            call.State = "offered";
        }
    }

    private static void ApplyEnded(Call call, CallEnded ended, Google.Protobuf.WellKnownTypes.Timestamp? time)
    {
        call.Outcome = ended.Outcome;
        call.EndedAt = time;
        if (ended.Operator.Length > 0)
        {
            call.Operator = ended.Operator;
        }

        // "abandoned" stays visible as such: the state is what the call-back list filters on.
        call.State = ended.Outcome switch
        {
            "abandoned" => "abandoned",
            "interrupted" => "interrupted",
            _ => "ended",
        };
    }
}
