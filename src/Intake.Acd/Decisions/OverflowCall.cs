namespace Intake.Acd.Decisions;

/// <summary>Command: send this call to OverflowUri. The call has left the ACD (terminal outcome).</summary>
public sealed record OverflowCall(
    string CallId,
    string Queue,
    string OverflowUri,
    OverflowReason Reason,
    string? CallerNumber,
    TimeSpan Wait) : AcdDecision;
