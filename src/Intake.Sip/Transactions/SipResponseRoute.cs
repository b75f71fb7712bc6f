using Intake.Sip.Transport;

namespace Intake.Sip.Transactions;

/// <summary>Where responses of a server transaction go (RFC 3261 §18.2.2): an address plus the connection to prefer.</summary>
public readonly record struct SipResponseRoute(SipEndPoint Destination, long ConnectionId)
{
    public override string ToString() => ConnectionId == 0 ? Destination.ToString() : $"{Destination} (connection {ConnectionId})";
}
