namespace Intake.Acd.Decisions;

/// <summary>
/// Command: ring these operators for this call (several only with ring-all). Each listed operator is now Ringing and has
/// no other offer. Report the outcome per operator with CallAnswered or OfferFailed; the engine enforces RingTimeout itself.
/// </summary>
public sealed record OfferCall(
    string CallId,
    string Queue,
    IReadOnlyList<string> Operators,
    string? CallerNumber,
    TimeSpan RingTimeout) : AcdDecision;
