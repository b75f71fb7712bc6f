using Intake.Sip.Transactions;
using Intake.Sip.Transport;

namespace Intake.Sip.Core;

/// <summary>Settings of a <see cref="SipStack"/>.</summary>
public sealed record SipStackOptions
{
    public SipTransportOptions Transport { get; init; } = new();

    public SipTimerOptions Timers { get; init; } = SipTimerOptions.Default;

    /// <summary>Option tags this UAS understands; a request requiring any other gets 420 (RFC 3261 §8.2.2.3).</summary>
    public IReadOnlyCollection<string> SupportedOptionTags { get; init; } = [];

    /// <summary>Host written into Via and Contact instead of the bound address (needed when bound to a wildcard).</summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>Value of the User-Agent header added to requests the stack sends; null adds none.</summary>
    public string? UserAgent { get; init; } = "Intake";
}
