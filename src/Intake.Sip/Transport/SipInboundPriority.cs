namespace Intake.Sip.Transport;

/// <summary>What the receive path does with a message, decided from its source and start line before it is parsed.</summary>
public enum SipInboundPriority
{
    /// <summary>Processed before any other message; never shed by the receive path.</summary>
    High,

    /// <summary>
    /// Processed when no <see cref="High"/> message waits, before any <see cref="Low"/> one; shed when its queue is
    /// full. For call traffic that must not crowd out <see cref="High"/> (e.g. from outside the trunks): a flood of
    /// it can then neither delay the high-priority messages nor stop the receive loop.
    /// </summary>
    Normal,

    /// <summary>Processed when no <see cref="High"/> or <see cref="Normal"/> message waits; shed when its queue is full.</summary>
    Low,

    /// <summary>Dropped unparsed and unanswered (e.g. its source is over its rate limit).</summary>
    Discard,
}
