using Intake.Acd.Operators;

namespace Intake.Acd.Statistics;

/// <summary>
/// Live snapshot of one queue. Counters run since the engine started or since <see cref="Engine.AcdEngine.ResetStatistics"/>.
/// </summary>
/// <param name="Waiting">Calls not yet answered (queued or ringing).</param>
/// <param name="LongestCurrentWait">Longest wait among the waiting calls, zero when none wait.</param>
/// <param name="Offered">Calls that arrived for this queue, including those that overflowed at once.</param>
/// <param name="AverageSpeedOfAnswer">Mean time from arrival to answer over answered calls; null before the first answer.</param>
/// <param name="OperatorsByState">Members of the queue by state; every state is present.</param>
public sealed record AcdQueueStatistics(
    string Queue,
    int Waiting,
    TimeSpan LongestCurrentWait,
    long Offered,
    long Answered,
    long Abandoned,
    long Overflowed,
    TimeSpan? AverageSpeedOfAnswer,
    IReadOnlyList<ServiceLevel> ServiceLevels,
    IReadOnlyDictionary<AcdOperatorState, int> OperatorsByState);
