namespace Intake.Acd.Engine;

/// <summary>
/// A moment at which the engine must re-examine a call or an operator. Deadlines are never removed when they become
/// moot; instead <see cref="Token"/> (offer id, wrap-up id) lets the handler recognise and skip stale ones.
/// </summary>
internal readonly record struct Deadline(DateTimeOffset At, DeadlineKind Kind, OperatorEntry? Operator, CallEntry? Call, long Token);
