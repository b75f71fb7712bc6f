namespace Intake.Acd.Decisions;

public enum OverflowReason
{
    /// <summary>The caller waited MaxWaitSeconds without being answered.</summary>
    MaxWait,

    /// <summary>Nobody of the queue is logged in: at arrival, or the last one logged out while the call waited.</summary>
    NoOperatorLoggedIn,

    /// <summary>MaxConcurrentCalls was reached when the call arrived.</summary>
    Capacity,
}
