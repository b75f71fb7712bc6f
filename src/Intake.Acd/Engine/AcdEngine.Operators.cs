using Intake.Acd.Decisions;
using Intake.Acd.Operators;

namespace Intake.Acd.Engine;

/// <summary>Inputs about operators.</summary>
public sealed partial class AcdEngine
{
    /// <summary>
    /// The operator's softphone registered. A logged-out operator becomes Available (or NotReady when
    /// AvailableOnRegister is false). A refresh while logged in changes nothing, except that it cancels a logout
    /// pending until the end of a call.
    /// </summary>
    public AcdResult OperatorRegistered(string username) => OperatorInput(username, static (engine, op) =>
    {
        if (op.IsLoggedIn)
        {
            op.PendingLogoutReason = null;
            return AcdResult.Ok;
        }

        if (engine._availableOnRegister)
        {
            engine.SetState(op, AcdOperatorState.Available, AcdReasons.Registered);
        }
        else
        {
            engine.SetState(op, AcdOperatorState.NotReady, AcdReasons.LoggedInNotReady);
        }

        return AcdResult.Ok;
    });

    /// <summary>
    /// The registration was removed or expired. A ringing offer is cancelled and the call goes to the next operator;
    /// an operator on a call is logged out when that call ends. When this was the last logged-in member of a queue,
    /// that queue's waiting calls overflow (NoOperatorLoggedIn).
    /// </summary>
    public AcdResult OperatorUnregistered(string username) =>
        OperatorInput(username, static (engine, op) => engine.LogOut(op, AcdReasons.Unregistered));

    /// <summary>The phone stopped responding (keep-alive or transport failure); handled like an unregistration.</summary>
    public AcdResult OperatorUnreachable(string username) =>
        OperatorInput(username, static (engine, op) => engine.LogOut(op, AcdReasons.Unreachable));

    /// <summary>
    /// Operator is ready (feature code). NotReady or WrapUp → Available now. While ringing or on a call it only withdraws
    /// an earlier not-ready request. Returns <see cref="AcdResult.NotLoggedIn"/> when logged out.
    /// </summary>
    public AcdResult SetReady(string username) => OperatorInput(username, static (engine, op) =>
    {
        switch (op.State)
        {
            case AcdOperatorState.LoggedOut:
                return AcdResult.NotLoggedIn;
            case AcdOperatorState.NotReady:
            case AcdOperatorState.WrapUp:
                op.PendingNotReadyReason = null;
                engine.SetState(op, AcdOperatorState.Available, AcdReasons.Ready);
                return AcdResult.Ok;
            default:
                op.PendingNotReadyReason = null;
                return AcdResult.Ok;
        }
    });

    /// <summary>
    /// Operator pauses with a reason. Available, WrapUp or NotReady → NotReady now. Ringing → the offer is cancelled and
    /// the call goes to the next operator. OnCall → NotReady after the call's wrap-up.
    /// </summary>
    public AcdResult SetNotReady(string username, string? reason)
    {
        var text = string.IsNullOrWhiteSpace(reason) ? "not ready" : reason;
        return OperatorInput(username, (engine, op) =>
        {
            switch (op.State)
            {
                case AcdOperatorState.LoggedOut:
                    return AcdResult.NotLoggedIn;
                case AcdOperatorState.OnCall:
                    op.PendingNotReadyReason = text;
                    return AcdResult.Ok;
                case AcdOperatorState.Ringing:
                    var call = op.OfferedCall!;
                    engine.Emit(new CancelOffer(call.CallId, op.Username, OfferCancelReason.OperatorUnavailable));
                    engine.ReleaseOffer(op);
                    engine.SetState(op, AcdOperatorState.NotReady, text);
                    engine.AfterOfferLost(call);
                    return AcdResult.Ok;
                default:
                    op.PendingNotReadyReason = null;
                    engine.SetState(op, AcdOperatorState.NotReady, text);
                    return AcdResult.Ok;
            }
        });
    }

    private AcdResult OperatorInput(string username, Func<AcdEngine, OperatorEntry, AcdResult> action)
    {
        if (string.IsNullOrEmpty(username))
        {
            return AcdResult.InvalidArgument;
        }

        if (!_operatorsByName.TryGetValue(username, out var op))
        {
            return AcdResult.UnknownOperator;
        }

        lock (_gate)
        {
            BeginInput();
            var result = action(this, op);
            if (result == AcdResult.Ok)
            {
                Dispatch();
            }

            EndInput();
            return result;
        }
    }

    private AcdResult LogOut(OperatorEntry op, string reason)
    {
        switch (op.State)
        {
            case AcdOperatorState.LoggedOut:
                return AcdResult.Ok;
            case AcdOperatorState.OnCall:
                op.PendingLogoutReason = reason;
                return AcdResult.Ok;
            case AcdOperatorState.Ringing:
                var call = op.OfferedCall!;
                Emit(new CancelOffer(call.CallId, op.Username, OfferCancelReason.OperatorUnavailable));
                ReleaseOffer(op);
                SetState(op, AcdOperatorState.LoggedOut, reason);
                AfterOfferLost(call);
                break;
            default:
                SetState(op, AcdOperatorState.LoggedOut, reason);
                break;
        }

        OverflowQueuesLeftEmpty(op);
        return AcdResult.Ok;
    }
}
