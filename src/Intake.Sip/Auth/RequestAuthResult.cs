using Intake.Sip.Messages;

namespace Intake.Sip.Auth;

/// <summary>The verdict on a request's credentials, with the ready-made rejection when not authenticated.</summary>
/// <param name="Username">The authenticated username (only when authenticated).</param>
/// <param name="Rejection">The 400/401/403/407 to send when not authenticated.</param>
/// <param name="Delay">How long to hold the answer (failure slowdown); never block a thread for it.</param>
/// <param name="Verification">The digest verdict, for logging; null when the request had no credentials for us.</param>
public sealed record RequestAuthResult(string? Username, SipResponse? Rejection, TimeSpan Delay, DigestVerificationResult? Verification)
{
    public bool IsAuthenticated => Rejection is null && Username is not null;
}
