namespace Intake.Acd.Decisions;

/// <summary>Command: stop ringing this operator for this call (send CANCEL on that leg).</summary>
public sealed record CancelOffer(string CallId, string Operator, OfferCancelReason Reason) : AcdDecision;
