namespace Intake.Acd.Decisions;

/// <summary>Why an operator leg failed, as reported by the server. Every reason auto-pauses the operator.</summary>
public enum OfferFailureReason
{
    /// <summary>The phone reported no answer itself (408/480) before the ACD's ring timeout.</summary>
    NoAnswer,

    /// <summary>Busy or decline (486/600/603).</summary>
    Rejected,

    /// <summary>Any other failure: error response, transport error, unreachable phone.</summary>
    Failed,
}
