namespace Intake.Acd.Decisions;

/// <summary>An operator answered; Wait is from the call's arrival to the answer (the speed of answer).</summary>
public sealed record CallConnected(string CallId, string Queue, string Operator, TimeSpan Wait) : AcdDecision;
