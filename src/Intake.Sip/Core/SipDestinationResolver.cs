using System.Net;
using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Core;

/// <summary>
/// Next hop of an outgoing request without DNS (RFC 3263 is out of scope): the first Route if present, else the
/// Request-URI; the host must be an IP literal or "localhost". transport= picks UDP or TCP, sips means TLS.
/// </summary>
public static class SipDestinationResolver
{
    public static bool TryResolve(SipRequest request, out SipEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.Routes.Count > 0 ? request.Routes[0].Uri : request.RequestUri;
        return TryResolve(uri, out destination);
    }

    public static bool TryResolve(SipUri uri, out SipEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(uri);
        destination = default;
        if (uri.Scheme is not ("sip" or "sips")) return false;
        var address = string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            ? IPAddress.Loopback
            : ResponseRouter.ParseAddress(uri.Host);
        if (address is null) return false;
        SipTransportProtocol protocol;
        if (uri.Scheme == "sips") protocol = SipTransportProtocol.Tls;
        else if (string.Equals(uri.Transport, "tcp", StringComparison.OrdinalIgnoreCase)) protocol = SipTransportProtocol.Tcp;
        else if (string.Equals(uri.Transport, "tls", StringComparison.OrdinalIgnoreCase)) protocol = SipTransportProtocol.Tls;
        else if (uri.Transport is null || string.Equals(uri.Transport, "udp", StringComparison.OrdinalIgnoreCase)) protocol = SipTransportProtocol.Udp;
        else return false;
        var port = uri.Port ?? (protocol == SipTransportProtocol.Tls ? ResponseRouter.DefaultTlsPort : ResponseRouter.DefaultPort);
        destination = new SipEndPoint(protocol, new IPEndPoint(address, port));
        return true;
    }
}
