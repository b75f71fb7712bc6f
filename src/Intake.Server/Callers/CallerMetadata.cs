using Intake.Contracts.V1;
using Intake.Sip.Messages;

namespace Intake.Server.Callers;

/// <summary>Everything an INVITE says about the caller: identity and location, read once when the call is offered.</summary>
public sealed record CallerMetadata(CallerIdentity Identity, LocationResult Location)
{
    public static CallerMetadata Read(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CallerMetadata(CallerIdentityReader.Read(request), LocationParser.Parse(request));
    }

    /// <summary>Fills the caller fields of the offered event; the call fields (dialled number, queue, source) are left alone.</summary>
    public void ApplyTo(CallOffered offered)
    {
        ArgumentNullException.ThrowIfNull(offered);
        offered.CallerNumber = Identity.Number;
        offered.CallerDisplayName = Identity.DisplayName;
        offered.AssertedIdentity = Identity.AssertedIdentity;
        offered.Privacy.Clear();
        offered.Privacy.AddRange(Identity.Privacy);
        offered.Location = Location.Location?.Clone();
    }
}
