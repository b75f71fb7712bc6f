namespace Intake.Acd.Decisions;

public enum OfferCancelReason
{
    /// <summary>Ring-all: another operator answered first.</summary>
    AnsweredElsewhere,

    /// <summary>The queue's ring timeout passed; the operator is auto-paused.</summary>
    RingTimeout,

    /// <summary>The caller hung up while this operator was ringing.</summary>
    CallerLeft,

    /// <summary>The operator unregistered, became unreachable or set not-ready while ringing.</summary>
    OperatorUnavailable,

    /// <summary>The call overflowed while ringing.</summary>
    Overflowed,
}
