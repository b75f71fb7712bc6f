namespace Intake.Acd.Configuration;

/// <summary>One queue: the numbers that lead to it and how its callers are served.</summary>
public sealed record AcdQueueOptions
{
    /// <summary>Thresholds used when <see cref="ServiceLevelSeconds"/> is not configured (NENA looks at 15 s and 20 s).</summary>
    public static IReadOnlyList<int> DefaultServiceLevelSeconds { get; } = [10, 15, 20];

    public string Name { get; init; } = "";

    /// <summary>Dialled numbers (request-URI user parts) that route to this queue.</summary>
    public IReadOnlyList<string> Numbers { get; init; } = [];

    /// <summary>Higher is served first across queues; equal priorities are served in arrival order.</summary>
    public int Priority { get; init; }

    public int RingTimeoutSeconds { get; init; } = 15;

    public int WrapUpSeconds { get; init; } = 10;

    /// <summary>Wait after which a caller overflows to <see cref="OverflowUri"/> (only when that is set).</summary>
    public int MaxWaitSeconds { get; init; } = 60;

    /// <summary>sip: or sips: URI that overflowed calls go to; null keeps callers queued however long they wait.</summary>
    public string? OverflowUri { get; init; }

    /// <summary>
    /// Service-level thresholds in seconds. Null means <see cref="DefaultServiceLevelSeconds"/>; nullable on purpose because
    /// the configuration binder appends to a pre-filled list instead of replacing it.
    /// </summary>
    public IReadOnlyList<int>? ServiceLevelSeconds { get; init; }

    public DistributionStrategyKind Strategy { get; init; } = DistributionStrategyKind.LongestIdle;

    public IReadOnlyList<int> EffectiveServiceLevelSeconds =>
        ServiceLevelSeconds is { Count: > 0 } configured ? configured : DefaultServiceLevelSeconds;
}
