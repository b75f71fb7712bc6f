using Intake.Acd.Operators;

namespace Intake.Acd.Decisions;

/// <summary>An operator moved from Old to New. Reason is a free text (see <see cref="AcdReasons"/> for the engine's own).</summary>
public sealed record OperatorStateChanged(string Operator, AcdOperatorState Old, AcdOperatorState New, string Reason) : AcdDecision;
