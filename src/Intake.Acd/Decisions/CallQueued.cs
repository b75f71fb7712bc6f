namespace Intake.Acd.Decisions;

/// <summary>A call entered its queue. Position is 1-based among the unanswered calls of that queue.</summary>
public sealed record CallQueued(string CallId, string Queue, int Position, int Priority) : AcdDecision;
