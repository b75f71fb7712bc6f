using System.Net;
using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Core;

/// <summary>
/// RFC 3261 §18.2.1 and RFC 3581 §4: on a received request, adds received= to the top Via when the sent-by host
/// is not the packet's source address, and fills rport= (with received=) when the client asked for it.
/// </summary>
public static class ViaStamper
{
    /// <returns>true when the top Via was changed.</returns>
    public static bool Stamp(SipRequest request, SipEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.TopVia is not { } via) return false;
        var sourceAddress = source.Address.Address.IsIPv4MappedToIPv6 ? source.Address.Address.MapToIPv4() : source.Address.Address;
        var received = ResponseRouter.Format(sourceAddress);
        SipVia stamped;
        if (via.HasRport)
        {
            stamped = via.WithReceived(received, source.Address.Port);
        }
        else if (!IsSameAddress(via.Host, sourceAddress))
        {
            stamped = via.WithReceived(received, null);
        }
        else
        {
            return false;
        }

        request.Headers.ReplaceFirst(HeaderId.Via, stamped.ToString());
        return true;
    }

    private static bool IsSameAddress(string host, IPAddress source) =>
        ResponseRouter.ParseAddress(host) is { } address && (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).Equals(source);
}
