namespace Intake.Acd.Configuration;

/// <summary>
/// Root of the ACD configuration, bound by the host from JSON (e.g. the "Acd" section).
/// Validate with <see cref="AcdOptionsValidator"/> before building an engine.
/// </summary>
public sealed record AcdOptions
{
    public IReadOnlyList<AcdQueueOptions> Queues { get; init; } = [];

    public IReadOnlyList<AcdOperatorOptions> Operators { get; init; } = [];

    /// <summary>When true a registering operator becomes Available; otherwise NotReady until they press "ready".</summary>
    public bool AvailableOnRegister { get; init; } = true;

    /// <summary>Queue for calls whose dialled number no queue claims; null means such calls are refused with <see cref="AcdResult.UnknownNumber"/>.</summary>
    public string? DefaultQueue { get; init; }

    /// <summary>
    /// Most calls the ACD holds at once (waiting, ringing or connected); a call arriving beyond it overflows
    /// with <see cref="Decisions.OverflowReason.Capacity"/>. Null means no limit.
    /// </summary>
    public int? MaxConcurrentCalls { get; init; }

    /// <summary>How many recent abandoned calls <see cref="Engine.AcdEngine.GetAbandonedCalls"/> keeps for the call-back list.</summary>
    public int AbandonedHistoryLimit { get; init; } = 500;
}
