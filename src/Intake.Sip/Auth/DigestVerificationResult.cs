namespace Intake.Sip.Auth;

/// <summary>The verdict on one set of credentials.</summary>
/// <param name="Outcome">What to answer.</param>
/// <param name="Username">The claimed username when it could be parsed (for logging and failure tracking).</param>
/// <param name="Error">For Malformed, a reason suitable for the 400 reason phrase; for others, a log-only detail.</param>
/// <param name="Algorithm">The algorithm the client used, when known.</param>
public readonly record struct DigestVerificationResult(
    DigestOutcome Outcome, string? Username, string? Error, DigestAlgorithm? Algorithm = null)
{
    public bool IsAuthenticated => Outcome == DigestOutcome.Authenticated;

    /// <summary>True for outcomes that count as a guessing attempt (wrong password or unknown user).</summary>
    public bool IsFailure => Outcome == DigestOutcome.Forbidden;
}
