namespace Intake.Sip.Transactions;

/// <summary>
/// RFC 3261 §17 timer values. T1, T2 and T4 pace every retransmission and timeout; the lettered timers derive
/// from them (Table 4). Instances are passed to the transaction layer, never held in statics.
/// </summary>
public sealed record SipTimerOptions
{
    /// <summary>Round-trip time estimate (default 500 ms).</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmission interval for non-INVITE requests and INVITE responses (default 4 s).</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Maximum duration a message remains in the network (default 5 s).</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer D: client INVITE wait for response retransmissions over unreliable transports (at least 32 s).</summary>
    public TimeSpan TimerDUnreliable { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>64*T1: timers B, F, H, J and the RFC 6026 timers L and M; also the 2xx ACK wait of §13.3.1.4.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    public static SipTimerOptions Default { get; } = new();

    /// <summary>Throws when the values cannot drive a working state machine.</summary>
    public void Validate()
    {
        if (T1 <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(T1), T1, "T1 must be positive.");
        if (T2 < T1) throw new ArgumentOutOfRangeException(nameof(T2), T2, "T2 must be at least T1.");
        if (T4 < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(T4), T4, "T4 must not be negative.");
        if (TimerDUnreliable < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimerDUnreliable), TimerDUnreliable, "Timer D must not be negative.");
        }
    }
}
