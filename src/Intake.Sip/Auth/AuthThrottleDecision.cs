namespace Intake.Sip.Auth;

/// <summary>
/// How to treat the next answer to a source. A locked-out request gets the same 403 as a wrong password
/// (no verification is done), so a scanner cannot tell it was locked out.
/// </summary>
/// <param name="IsLockedOut">Refuse without verifying.</param>
/// <param name="Delay">How long to hold the answer before sending it (never block a thread for it).</param>
public readonly record struct AuthThrottleDecision(bool IsLockedOut, TimeSpan Delay)
{
    public static AuthThrottleDecision None => default;
}
