namespace Intake.Sip.Auth;

public sealed record AuthFailureTrackerOptions
{
    /// <summary>Failures within the window after which answers are delayed.</summary>
    public int SlowdownThreshold { get; init; } = 5;

    /// <summary>Failures within the window after which the source (or username) is locked out.</summary>
    public int LockoutThreshold { get; init; } = 10;

    /// <summary>Failures older than this (counted from the first one of a series) are forgotten.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Delay at the slowdown threshold; doubles with each further failure up to MaxDelay.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(16);

    /// <summary>
    /// How long a source that authenticated as a username stays exempt from that username's lockout, so an
    /// attacker guessing an operator's password cannot lock the operator's own phone out of an emergency
    /// service. Refreshed by every success.
    /// </summary>
    public TimeSpan TrustDuration { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Bound on tracked sources and usernames each; beyond it new keys are not tracked.</summary>
    public int MaxTrackedKeys { get; init; } = 100_000;
}
