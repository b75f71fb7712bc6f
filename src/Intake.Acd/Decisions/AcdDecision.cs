namespace Intake.Acd.Decisions;

/// <summary>
/// Something the ACD decided or observed, in the order it happened. Commands (<see cref="OfferCall"/>,
/// <see cref="CancelOffer"/>, <see cref="OverflowCall"/>) ask the server to act; the others are facts for the event log.
/// </summary>
public abstract record AcdDecision
{
    /// <summary>Strictly increasing per engine, starting at 1.</summary>
    public long Sequence { get; init; }

    /// <summary>Engine time of the change (for timer-driven changes, the deadline itself).</summary>
    public DateTimeOffset Timestamp { get; init; }
}
