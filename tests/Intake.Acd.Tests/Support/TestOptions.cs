using Intake.Acd.Configuration;

namespace Intake.Acd.Tests.Support;

/// <summary>Compact builders for ACD options in tests.</summary>
internal static class TestOptions
{
    public const string OverflowUri = "sip:overflow@backup.example";

    public static AcdQueueOptions Queue(
        string name,
        int priority = 0,
        DistributionStrategyKind strategy = DistributionStrategyKind.LongestIdle,
        string? overflowUri = null,
        int ringTimeout = 15,
        int wrapUp = 10,
        int maxWait = 60,
        IReadOnlyList<int>? serviceLevels = null) => new()
        {
            Name = name,
            Numbers = [name + "-number"],
            Priority = priority,
            Strategy = strategy,
            OverflowUri = overflowUri,
            RingTimeoutSeconds = ringTimeout,
            WrapUpSeconds = wrapUp,
            MaxWaitSeconds = maxWait,
            ServiceLevelSeconds = serviceLevels,
        };

    public static AcdOperatorOptions Operator(string username, params string[] queues) => new()
    {
        Username = username,
        DisplayName = "Operator " + username,
        Queues = queues.Select(q => new AcdOperatorQueueOptions { Queue = q }).ToArray(),
    };

    public static AcdOperatorOptions OperatorWithSkills(string username, params (string Queue, int Skill)[] queues) => new()
    {
        Username = username,
        Queues = queues.Select(q => new AcdOperatorQueueOptions { Queue = q.Queue, SkillLevel = q.Skill }).ToArray(),
    };

    public static AcdOptions Options(IReadOnlyList<AcdQueueOptions> queues, params AcdOperatorOptions[] operators) => new()
    {
        Queues = queues,
        Operators = operators,
    };

    /// <summary>The given queue alone, with the given operators as its members.</summary>
    public static AcdOptions SingleQueue(AcdQueueOptions queue, params string[] operators) =>
        Options([queue], operators.Select(o => Operator(o, queue.Name)).ToArray());
}
