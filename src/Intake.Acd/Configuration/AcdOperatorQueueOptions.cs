namespace Intake.Acd.Configuration;

/// <summary>Membership of an operator in a queue.</summary>
public sealed record AcdOperatorQueueOptions
{
    public string Queue { get; init; } = "";

    /// <summary>
    /// 1 or more; higher means more skilled. For a call, only the available operators with the highest level in its queue
    /// are considered, so lower levels act as back-up.
    /// </summary>
    public int SkillLevel { get; init; } = 1;
}
