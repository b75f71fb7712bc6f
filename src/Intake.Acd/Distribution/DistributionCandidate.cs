namespace Intake.Acd.Distribution;

/// <summary>An available operator that could ring.</summary>
/// <param name="Position">Index of the operator among the queue's members in configuration order.</param>
/// <param name="IdleSince">When the operator became available (after wrap-up, ready or registration).</param>
public sealed record DistributionCandidate(string Username, int SkillLevel, DateTimeOffset IdleSince, int Position);
