using System.Net;

namespace Intake.Sip.Registrar;

/// <summary>Where a REGISTER physically came from; kept so the phone can be reached behind NAT.</summary>
/// <param name="RemoteEndPoint">Source address and port of the packet or connection.</param>
/// <param name="Transport">Transport the request arrived on.</param>
/// <param name="ConnectionId">The transport's id of the TCP/TLS connection, null for UDP.</param>
public sealed record RegistrationSource(IPEndPoint RemoteEndPoint, SipTransportProtocol Transport, string? ConnectionId = null);
