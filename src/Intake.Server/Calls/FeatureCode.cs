using Intake.Sip.Messages;

namespace Intake.Server.Calls;

/// <summary>Codes an operator dials from the softphone to change state: *21 ready, *22 not ready.</summary>
public static class FeatureCode
{
    public const string Ready = "*21";
    public const string NotReady = "*22";

    /// <summary>The feature code in the Request-URI, or null for any other number.</summary>
    public static string? TryParse(SipUri requestUri)
    {
        // '*' may arrive escaped (%2A) from some phones.
        var user = requestUri.User is { } u ? Uri.UnescapeDataString(u) : null;
        return user is Ready or NotReady ? user : null;
    }
}
