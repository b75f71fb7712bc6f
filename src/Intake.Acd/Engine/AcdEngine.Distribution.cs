using Intake.Acd.Decisions;
using Intake.Acd.Distribution;
using Intake.Acd.Operators;

namespace Intake.Acd.Engine;

/// <summary>State transitions shared by the inputs: offering, answering, ending, abandoning and overflowing calls.</summary>
public sealed partial class AcdEngine
{
    /// <summary>
    /// Matches waiting calls with available operators, in service order (queue priority, then arrival). A call whose
    /// queue has nobody available does not block calls of other queues behind it.
    /// </summary>
    private void Dispatch()
    {
        if (!AnyOperatorAvailable())
        {
            return;
        }

        foreach (var call in _waiting)
        {
            // Past max wait a call only finishes its current ring; it overflows if that fails.
            if (call.MaxWaitPassed)
            {
                continue;
            }

            var queue = call.Queue;
            List<DistributionCandidate>? candidates = null;
            foreach (var member in queue.Members)
            {
                var op = member.Operator;
                if (op.State == AcdOperatorState.Available)
                {
                    (candidates ??= []).Add(new DistributionCandidate(op.Username, member.SkillLevel, op.IdleSince ?? _now, member.Position));
                }
            }

            if (candidates is null)
            {
                continue;
            }

            var selected = queue.Strategy.SelectOperators(new DistributionRequest(call.CallId, queue.Name, call.Ringing.Count, candidates));
            List<string>? offered = null;
            foreach (var username in selected)
            {
                // Re-checking Available here is what makes a second offer to one operator impossible, whatever a strategy returns.
                var member = queue.Members.Find(m => m.Operator.State == AcdOperatorState.Available
                    && string.Equals(m.Operator.Username, username, StringComparison.Ordinal));
                if (member is null)
                {
                    continue;
                }

                Offer(member.Operator, call);
                (offered ??= []).Add(username);
            }

            if (offered is not null)
            {
                Emit(new OfferCall(call.CallId, queue.Name, offered, call.CallerNumber, queue.RingTimeout));
                if (!AnyOperatorAvailable())
                {
                    return;
                }
            }
        }
    }

    private bool AnyOperatorAvailable()
    {
        foreach (var op in _operators)
        {
            if (op.State == AcdOperatorState.Available)
            {
                return true;
            }
        }

        return false;
    }

    private void Offer(OperatorEntry op, CallEntry call)
    {
        op.OfferedCall = call;
        op.OfferId = ++_offerIds;
        call.Ringing.Add(op);
        SetState(op, AcdOperatorState.Ringing, AcdReasons.Offered);
        _deadlines.Add(new Deadline(_now + call.Queue.RingTimeout, DeadlineKind.RingTimeout, op, call, op.OfferId));
    }

    private void ReleaseOffer(OperatorEntry op)
    {
        op.OfferedCall?.Ringing.Remove(op);
        op.OfferedCall = null;
    }

    /// <summary>Cancels every offer of a call that is leaving the ringing phase; those operators keep their idle time.</summary>
    private void CancelOffers(CallEntry call, OfferCancelReason reason)
    {
        foreach (var op in call.Ringing.ToArray())
        {
            Emit(new CancelOffer(call.CallId, op.Username, reason));
            ReleaseOffer(op);
            SetState(op, AcdOperatorState.Available, AcdReasons.OfferCancelled, keepIdleSince: true);
        }
    }

    /// <summary>A call lost an offer: if max wait has passed meanwhile and nobody else rings, it overflows now.</summary>
    private void AfterOfferLost(CallEntry call)
    {
        if (call.Ringing.Count == 0 && call.MaxWaitPassed && call.Queue.OverflowUri is not null)
        {
            Overflow(call, OverflowReason.MaxWait);
        }
    }

    private void Answer(CallEntry call, OperatorEntry op)
    {
        ReleaseOffer(op);
        _waiting.Remove(call);
        call.ConnectedOperator = op;
        call.AnsweredAt = _now;
        op.Call = call;
        var wait = _now - call.ArrivedAt;
        call.Queue.Statistics.RecordAnswered(wait);
        SetState(op, AcdOperatorState.OnCall, AcdReasons.Answered);
        Emit(new CallConnected(call.CallId, call.Queue.Name, op.Username, wait));
        CancelOffers(call, OfferCancelReason.AnsweredElsewhere);
    }

    private void Complete(CallEntry call)
    {
        var op = call.ConnectedOperator!;
        _calls.Remove(call.CallId);
        op.Call = null;
        Emit(new CallCompleted(call.CallId, call.Queue.Name, op.Username, _now - call.AnsweredAt));
        if (op.PendingLogoutReason is { } logout)
        {
            SetState(op, AcdOperatorState.LoggedOut, logout);
            OverflowQueuesLeftEmpty(op);
        }
        else if (call.Queue.WrapUp > TimeSpan.Zero)
        {
            op.WrapUpId = ++_wrapUpIds;
            SetState(op, AcdOperatorState.WrapUp, AcdReasons.CallEnded);
            _deadlines.Add(new Deadline(_now + call.Queue.WrapUp, DeadlineKind.WrapUpEnd, op, null, op.WrapUpId));
        }
        else
        {
            FinishWrapUp(op, AcdReasons.CallEnded);
        }
    }

    private void FinishWrapUp(OperatorEntry op, string reason)
    {
        if (op.PendingNotReadyReason is { } pause)
        {
            op.PendingNotReadyReason = null;
            SetState(op, AcdOperatorState.NotReady, pause);
        }
        else
        {
            SetState(op, AcdOperatorState.Available, reason);
        }
    }

    private void Abandon(CallEntry call)
    {
        var ringing = call.Ringing.ConvertAll(op => op.Username);
        CancelOffers(call, OfferCancelReason.CallerLeft);
        _calls.Remove(call.CallId);
        _waiting.Remove(call);
        var wait = _now - call.ArrivedAt;
        call.Queue.Statistics.RecordAbandoned(wait);
        var record = Emit(new CallAbandoned(call.CallId, call.Queue.Name, call.CallerNumber, call.ArrivedAt, wait, ringing));
        if (_abandonedHistoryLimit > 0)
        {
            if (_abandoned.Count == _abandonedHistoryLimit)
            {
                _abandoned.Dequeue();
            }

            _abandoned.Enqueue(record);
        }
    }

    private void Overflow(CallEntry call, OverflowReason reason)
    {
        CancelOffers(call, OfferCancelReason.Overflowed);
        if (_calls.TryGetValue(call.CallId, out var held) && ReferenceEquals(held, call))
        {
            _calls.Remove(call.CallId);
        }

        _waiting.Remove(call);
        call.Queue.Statistics.RecordOverflowed();
        Emit(new OverflowCall(call.CallId, call.Queue.Name, call.Queue.OverflowUri!, reason, call.CallerNumber, _now - call.ArrivedAt));
    }

    /// <summary>After an operator logged out: queues of theirs with nobody logged in any more send their waiting calls to overflow.</summary>
    private void OverflowQueuesLeftEmpty(OperatorEntry op)
    {
        foreach (var membership in op.Memberships)
        {
            var queue = membership.Queue;
            if (queue.OverflowUri is null || queue.HasLoggedInMember())
            {
                continue;
            }

            foreach (var call in _waiting.Where(c => ReferenceEquals(c.Queue, queue)).ToArray())
            {
                Overflow(call, OverflowReason.NoOperatorLoggedIn);
            }
        }
    }

    private void SetState(OperatorEntry op, AcdOperatorState state, string reason, bool keepIdleSince = false)
    {
        var old = op.State;
        if (old == state && string.Equals(op.Reason, reason, StringComparison.Ordinal))
        {
            return;
        }

        op.State = state;
        op.Reason = reason;
        op.StateSince = _now;
        if (state == AcdOperatorState.Available && (!keepIdleSince || op.IdleSince is null))
        {
            op.IdleSince = _now;
        }
        else if (state == AcdOperatorState.LoggedOut)
        {
            op.IdleSince = null;
            op.PendingLogoutReason = null;
            op.PendingNotReadyReason = null;
        }

        Emit(new OperatorStateChanged(op.Username, old, state, reason));
    }

    private void HandleDeadline(Deadline deadline)
    {
        switch (deadline.Kind)
        {
            case DeadlineKind.RingTimeout:
                var op = deadline.Operator!;
                if (op.OfferedCall is not { } offered || op.OfferId != deadline.Token)
                {
                    return;
                }

                Emit(new CancelOffer(offered.CallId, op.Username, OfferCancelReason.RingTimeout));
                ReleaseOffer(op);
                SetState(op, AcdOperatorState.NotReady, AcdReasons.AutoPauseNoAnswer);
                AfterOfferLost(offered);
                Dispatch();
                return;
            case DeadlineKind.WrapUpEnd:
                var wrapping = deadline.Operator!;
                if (wrapping.State != AcdOperatorState.WrapUp || wrapping.WrapUpId != deadline.Token)
                {
                    return;
                }

                FinishWrapUp(wrapping, AcdReasons.WrapUpEnded);
                Dispatch();
                return;
            case DeadlineKind.MaxWait:
                var call = deadline.Call!;
                if (!_calls.TryGetValue(call.CallId, out var held) || !ReferenceEquals(held, call) || call.IsConnected)
                {
                    return;
                }

                call.MaxWaitPassed = true;
                AfterOfferLost(call);
                return;
        }
    }
}
