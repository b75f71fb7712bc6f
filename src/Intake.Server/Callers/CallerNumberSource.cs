namespace Intake.Server.Callers;

/// <summary>Where <see cref="CallerIdentity.Number"/> came from.</summary>
public enum CallerNumberSource
{
    /// <summary>No usable number in From nor in P-Asserted-Identity.</summary>
    None,

    /// <summary>The From URI (user part or tel number).</summary>
    From,

    /// <summary>P-Asserted-Identity (RFC 3325), used when From is anonymous or carries no user part.</summary>
    AssertedIdentity,
}
