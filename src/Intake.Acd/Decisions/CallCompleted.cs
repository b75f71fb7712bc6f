namespace Intake.Acd.Decisions;

/// <summary>An answered call ended (terminal outcome); the operator goes to wrap-up.</summary>
public sealed record CallCompleted(string CallId, string Queue, string Operator, TimeSpan TalkTime) : AcdDecision;
