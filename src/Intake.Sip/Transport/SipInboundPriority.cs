namespace Intake.Sip.Transport;

/// <summary>What the receive path does with a message, decided from its source and start line before it is parsed.</summary>
public enum SipInboundPriority
{
    /// <summary>Processed before any <see cref="Low"/> message; never shed by the receive path.</summary>
    High,

    /// <summary>Processed when no <see cref="High"/> message waits; shed when its queue is full.</summary>
    Low,

    /// <summary>Dropped unparsed and unanswered (e.g. its source is over its rate limit).</summary>
    Discard,
}
