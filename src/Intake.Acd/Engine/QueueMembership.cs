namespace Intake.Acd.Engine;

/// <summary>An operator's place in a queue: its skill there and its index among the queue's members.</summary>
internal sealed record QueueMembership(QueueEntry Queue, OperatorEntry Operator, int SkillLevel, int Position);
