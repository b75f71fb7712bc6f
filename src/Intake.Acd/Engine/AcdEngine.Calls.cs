using Intake.Acd.Decisions;
using Intake.Acd.Operators;

namespace Intake.Acd.Engine;

/// <summary>Inputs about calls.</summary>
public sealed partial class AcdEngine
{
    /// <summary>
    /// A caller's INVITE for <paramref name="dialledNumber"/> arrived (the default queue takes unknown numbers).
    /// Emits <see cref="CallQueued"/> and possibly <see cref="OfferCall"/> at once, or <see cref="OverflowCall"/> when
    /// nobody of the queue is logged in or MaxConcurrentCalls is reached (only if the queue has an OverflowUri).
    /// </summary>
    /// <param name="arrivedAt">When the INVITE arrived; waits and service levels count from it. Defaults to now; never later than now.</param>
    public AcdResult CallArrived(string callId, string dialledNumber, string? callerNumber, DateTimeOffset? arrivedAt = null)
    {
        if (string.IsNullOrEmpty(callId) || dialledNumber is null)
        {
            return AcdResult.InvalidArgument;
        }

        var queue = _queuesByNumber.GetValueOrDefault(dialledNumber) ?? _defaultQueue;
        if (queue is null)
        {
            return AcdResult.UnknownNumber;
        }

        lock (_gate)
        {
            BeginInput();
            var result = Arrive(callId, queue, callerNumber, arrivedAt);
            EndInput();
            return result;
        }
    }

    /// <summary>As <see cref="CallArrived"/>, naming the queue directly (e.g. a call the server routed itself).</summary>
    public AcdResult CallArrivedInQueue(string callId, string queueName, string? callerNumber, DateTimeOffset? arrivedAt = null)
    {
        if (string.IsNullOrEmpty(callId) || queueName is null)
        {
            return AcdResult.InvalidArgument;
        }

        if (!_queuesByName.TryGetValue(queueName, out var queue))
        {
            return AcdResult.UnknownQueue;
        }

        lock (_gate)
        {
            BeginInput();
            var result = Arrive(callId, queue, callerNumber, arrivedAt);
            EndInput();
            return result;
        }
    }

    /// <summary>
    /// The operator's leg answered (200 OK). Returns <see cref="AcdResult.Ok"/> when this operator's offer for the call
    /// was still open: the server bridges, the call is connected, other ring-all offers are cancelled. Any other result
    /// (typically <see cref="AcdResult.NotOffered"/> after a ring timeout or another answer won) means: hang up that leg.
    /// </summary>
    public AcdResult CallAnswered(string callId, string username)
    {
        lock (_gate)
        {
            BeginInput();
            var result = FindOffer(callId, username, out var call, out var op);
            if (result == AcdResult.Ok)
            {
                Answer(call!, op!);
                Dispatch();
            }

            EndInput();
            return result;
        }
    }

    /// <summary>
    /// The operator's leg failed before answer (the phone's own no-answer, busy/decline, error). The operator is
    /// auto-paused (an emergency centre does not re-ring a failing phone) and the call goes to the next operator.
    /// </summary>
    public AcdResult OfferFailed(string callId, string username, OfferFailureReason reason)
    {
        lock (_gate)
        {
            BeginInput();
            var result = FindOffer(callId, username, out var call, out var op);
            if (result == AcdResult.Ok)
            {
                var pause = reason switch
                {
                    OfferFailureReason.NoAnswer => AcdReasons.AutoPauseNoAnswer,
                    OfferFailureReason.Rejected => AcdReasons.AutoPauseRejected,
                    _ => AcdReasons.AutoPauseFailed,
                };
                ReleaseOffer(op!);
                SetState(op!, AcdOperatorState.NotReady, pause);
                AfterOfferLost(call!);
                Dispatch();
            }

            EndInput();
            return result;
        }
    }

    /// <summary>
    /// The caller hung up (BYE or CANCEL). Before an answer this is an abandon: offers are cancelled and
    /// <see cref="CallAbandoned"/> is emitted. After an answer it ends the call like <see cref="CallEnded"/>.
    /// </summary>
    public AcdResult CallerLeft(string callId) => EndCall(callId);

    /// <summary>
    /// The call ended (either party hung up, media timeout, server teardown). After an answer: <see cref="CallCompleted"/>
    /// and the operator goes to wrap-up. Before an answer the caller is gone all the same, so it counts as abandoned.
    /// </summary>
    public AcdResult CallEnded(string callId) => EndCall(callId);

    private AcdResult EndCall(string callId)
    {
        if (string.IsNullOrEmpty(callId))
        {
            return AcdResult.InvalidArgument;
        }

        lock (_gate)
        {
            BeginInput();
            if (!_calls.TryGetValue(callId, out var call))
            {
                EndInput();
                return AcdResult.UnknownCall;
            }

            if (call.IsConnected)
            {
                Complete(call);
            }
            else
            {
                Abandon(call);
            }

            Dispatch();
            EndInput();
            return AcdResult.Ok;
        }
    }

    private AcdResult FindOffer(string callId, string username, out CallEntry? call, out OperatorEntry? op)
    {
        call = null;
        op = null;
        if (string.IsNullOrEmpty(callId) || string.IsNullOrEmpty(username))
        {
            return AcdResult.InvalidArgument;
        }

        if (!_operatorsByName.TryGetValue(username, out op))
        {
            return AcdResult.UnknownOperator;
        }

        if (!_calls.TryGetValue(callId, out call))
        {
            return AcdResult.UnknownCall;
        }

        return ReferenceEquals(op.OfferedCall, call) ? AcdResult.Ok : AcdResult.NotOffered;
    }

    private AcdResult Arrive(string callId, QueueEntry queue, string? callerNumber, DateTimeOffset? arrivedAt)
    {
        if (_calls.ContainsKey(callId))
        {
            return AcdResult.DuplicateCall;
        }

        var arrival = arrivedAt is { } at && at < _now ? at : _now;
        var call = new CallEntry(callId, queue, callerNumber, arrival, ++_callSequence);
        queue.Statistics.RecordOffered();
        if (queue.OverflowUri is not null)
        {
            if (_maxConcurrentCalls is { } max && _calls.Count >= max)
            {
                Overflow(call, OverflowReason.Capacity);
                return AcdResult.Ok;
            }

            if (!queue.HasLoggedInMember())
            {
                Overflow(call, OverflowReason.NoOperatorLoggedIn);
                return AcdResult.Ok;
            }

            _deadlines.Add(new Deadline(call.ArrivedAt + queue.MaxWait, DeadlineKind.MaxWait, null, call, 0));
        }

        _calls.Add(callId, call);
        _waiting.Add(call);
        Emit(new CallQueued(callId, queue.Name, PositionOf(call), queue.Priority));
        Dispatch();
        return AcdResult.Ok;
    }

    private int PositionOf(CallEntry call)
    {
        var position = 1;
        foreach (var waiting in _waiting)
        {
            if (ReferenceEquals(waiting, call))
            {
                return position;
            }

            if (ReferenceEquals(waiting.Queue, call.Queue))
            {
                position++;
            }
        }

        return position;
    }
}
