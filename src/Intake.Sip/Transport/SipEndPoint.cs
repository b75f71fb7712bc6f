using System.Net;

namespace Intake.Sip.Transport;

/// <summary>A transport protocol plus an IP endpoint, e.g. "udp:127.0.0.1:5060" or "tcp:[::1]:5060".</summary>
public readonly record struct SipEndPoint(SipTransportProtocol Protocol, IPEndPoint Address)
{
    public override string ToString() => Protocol switch
    {
        SipTransportProtocol.Udp => "udp:" + Address,
        SipTransportProtocol.Tcp => "tcp:" + Address,
        SipTransportProtocol.Tls => "tls:" + Address,
        _ => Protocol.ToString().ToLowerInvariant() + ":" + Address,
    };
}
