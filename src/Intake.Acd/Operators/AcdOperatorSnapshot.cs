namespace Intake.Acd.Operators;

/// <summary>Point-in-time view of one operator.</summary>
/// <param name="Reason">Reason of the last state change (the not-ready reason while NotReady).</param>
/// <param name="OfferedCallId">Call ringing at this operator, if any.</param>
/// <param name="CallId">Call the operator is talking on, if any.</param>
/// <param name="IdleSince">When the operator last became available; what longest-idle distribution compares.</param>
public sealed record AcdOperatorSnapshot(
    string Username,
    string? DisplayName,
    AcdOperatorState State,
    string Reason,
    DateTimeOffset StateSince,
    DateTimeOffset? IdleSince,
    string? OfferedCallId,
    string? CallId,
    IReadOnlyList<string> Queues);
