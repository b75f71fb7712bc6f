namespace Intake.Sip.Transactions;

/// <summary>The lettered timers of RFC 3261 §17 plus RFC 6026 L and M.</summary>
public enum SipTimer
{
    A, B, D, E, F, G, H, I, J, K, L, M,
}
