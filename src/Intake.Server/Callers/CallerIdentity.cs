namespace Intake.Server.Callers;

/// <summary>
/// Who is calling, as far as the INVITE tells: the From identity, the network-asserted identity (RFC 3325)
/// and the privacy the caller asked for (RFC 3323). An emergency service records the asserted identity even
/// when privacy was requested; <see cref="PrivacyRequested"/> keeps the request visible to dispatch.
/// </summary>
public sealed record CallerIdentity
{
    /// <summary>Best caller number: the From number, or the asserted one when From is anonymous; empty when none.</summary>
    public required string Number { get; init; }

    public required CallerNumberSource NumberSource { get; init; }

    /// <summary>From display name (the asserted one when From is anonymous); empty when none.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The From URI as received; empty when the From header was unusable.</summary>
    public required string FromUri { get; init; }

    /// <summary>From is the RFC 3323 anonymous identity (sip:anonymous@anonymous.invalid or an "anonymous" user).</summary>
    public required bool IsAnonymous { get; init; }

    /// <summary>Number from P-Asserted-Identity, the tel value preferred over the sip one; null when none.</summary>
    public required string? AssertedNumber { get; init; }

    /// <summary>Every P-Asserted-Identity URI in header order (at most one sip/sips and one tel by RFC 3325).</summary>
    public required IReadOnlyList<string> AssertedIdentities { get; init; }

    /// <summary>Privacy header values in lower case (RFC 3323 §4.2: header, session, user, none, critical; RFC 3325: id).</summary>
    public required IReadOnlyList<string> Privacy { get; init; }

    /// <summary>Any privacy other than "none" was asked for.</summary>
    public bool PrivacyRequested => Privacy.Any(value => value != "none");

    /// <summary>The caller asked for its identity to be withheld (Privacy: id or header, or an anonymous From).</summary>
    public bool IdentityWithheld => IsAnonymous || Privacy.Contains("id") || Privacy.Contains("header");

    /// <summary>The asserted identities as one comma-separated string, the form a single text field can carry.</summary>
    public string AssertedIdentity => string.Join(", ", AssertedIdentities);
}
