namespace Intake.Server.Configuration;

/// <summary>One entry of <c>Queues</c>: an emergency service reached by one or more dialled numbers.</summary>
public sealed class QueueOptions
{
    public string Name { get; set; } = "";

    /// <summary>Dialled numbers (Request-URI user part) that reach this queue, e.g. "19", "112".</summary>
    public List<string> Numbers { get; set; } = [];

    /// <summary>Higher is served first across queues.</summary>
    public int Priority { get; set; }

    /// <summary>How long an operator's phone rings before the call goes to the next operator.</summary>
    public int RingTimeoutSeconds { get; set; } = 15;

    /// <summary>Time after a call before the operator is offered the next one.</summary>
    public int WrapUpSeconds { get; set; } = 10;

    /// <summary>After this wait the call overflows to <see cref="OverflowUri"/> (when set).</summary>
    public int MaxWaitSeconds { get; set; } = 60;

    /// <summary>SIP URI of another centre that takes calls this one cannot answer in time; null keeps them waiting.</summary>
    public string? OverflowUri { get; set; }

    /// <summary>Thresholds for the service level (% answered within T s); default 10, 15, 20.</summary>
    public List<int>? ServiceLevelSeconds { get; set; }

    /// <summary>LongestIdle (default), RingAll or RoundRobin.</summary>
    public string Strategy { get; set; } = "LongestIdle";

    /// <summary>Prompts played once when the call is answered, in order (names in sip-config/prompts without .wav).</summary>
    public List<string> GreetingPrompt { get; set; } = [];

    /// <summary>Prompts repeated while the caller waits.</summary>
    public List<string> HoldPrompt { get; set; } = [];

    /// <summary>Seconds from the start of one hold reminder to the next.</summary>
    public int HoldPromptIntervalSeconds { get; set; } = 20;

    public IReadOnlyList<int> EffectiveServiceLevelSeconds => ServiceLevelSeconds is { Count: > 0 } s ? s : [10, 15, 20];
}
