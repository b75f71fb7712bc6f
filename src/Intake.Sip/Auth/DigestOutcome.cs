namespace Intake.Sip.Auth;

/// <summary>What the verifier concluded, and therefore which response the UAS sends.</summary>
public enum DigestOutcome
{
    /// <summary>Credentials verified; proceed with the request.</summary>
    Authenticated,

    /// <summary>
    /// No usable credentials for our realm, a nonce we did not issue, or an opaque we did not send:
    /// answer 401/407 with a fresh challenge.
    /// </summary>
    Challenge,

    /// <summary>Correct response on an expired nonce: answer 401/407 with a fresh challenge and stale=true.</summary>
    Stale,

    /// <summary>
    /// Correct response but a nonce-count not above the highest already accepted for that nonce: a replayed
    /// (captured) header, or a client reusing counts. Not a password failure; answered like Stale so an
    /// honest client recovers with a new nonce while the replay achieves nothing.
    /// </summary>
    Replayed,

    /// <summary>Syntactically or semantically malformed credentials: answer 400 with the reason.</summary>
    Malformed,

    /// <summary>Wrong response, unknown user, or locked-out source: answer 403 (all three look the same).</summary>
    Forbidden,
}
