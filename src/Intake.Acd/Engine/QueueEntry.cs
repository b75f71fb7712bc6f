using Intake.Acd.Configuration;
using Intake.Acd.Distribution;
using Intake.Acd.Statistics;

namespace Intake.Acd.Engine;

/// <summary>Runtime form of a configured queue.</summary>
internal sealed class QueueEntry(AcdQueueOptions options, IDistributionStrategy strategy)
{
    public string Name { get; } = options.Name;

    public int Priority { get; } = options.Priority;

    public TimeSpan RingTimeout { get; } = TimeSpan.FromSeconds(options.RingTimeoutSeconds);

    public TimeSpan WrapUp { get; } = TimeSpan.FromSeconds(options.WrapUpSeconds);

    public TimeSpan MaxWait { get; } = TimeSpan.FromSeconds(options.MaxWaitSeconds);

    public string? OverflowUri { get; } = options.OverflowUri;

    public IDistributionStrategy Strategy { get; } = strategy;

    /// <summary>Members in configuration order; <see cref="QueueMembership.Position"/> indexes this list.</summary>
    public List<QueueMembership> Members { get; } = [];

    public QueueStatisticsAccumulator Statistics { get; } = new(options.EffectiveServiceLevelSeconds);

    public bool HasLoggedInMember()
    {
        foreach (var member in Members)
        {
            if (member.Operator.IsLoggedIn)
            {
                return true;
            }
        }

        return false;
    }
}
