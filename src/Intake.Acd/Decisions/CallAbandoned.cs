namespace Intake.Acd.Decisions;

/// <summary>
/// The caller left before an operator answered (terminal outcome); it belongs on the call-back list.
/// RingingOperators is empty when the call was only queued, else the operators whose offers were cancelled.
/// </summary>
public sealed record CallAbandoned(
    string CallId,
    string Queue,
    string? CallerNumber,
    DateTimeOffset ArrivedAt,
    TimeSpan Wait,
    IReadOnlyList<string> RingingOperators) : AcdDecision;
