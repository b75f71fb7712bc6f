using Intake.Acd.Configuration;

namespace Intake.Acd.Distribution;

/// <summary>Default factory: a fresh built-in strategy per queue, chosen by <see cref="AcdQueueOptions.Strategy"/>.</summary>
public static class DistributionStrategies
{
    public static IDistributionStrategy Create(AcdQueueOptions queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        return queue.Strategy switch
        {
            DistributionStrategyKind.RingAll => new RingAllStrategy(),
            DistributionStrategyKind.RoundRobin => new RoundRobinStrategy(),
            _ => new LongestIdleStrategy(),
        };
    }
}
