using Intake.Sip.Registrar;
using Intake.Sip.Transport;
using Intake.Sip.Messages;

namespace Intake.Server.Operators;

/// <summary>
/// Where to send a request for an operator: the registered Contact as Request-URI, and the next hop, which is the
/// packet source (and connection) when the Contact names an address we cannot reach directly (NAT).
/// </summary>
/// <param name="RequestUri">The registered Contact URI, to be used unchanged as the Request-URI (RFC 3261 §10.2.1, §16.5).</param>
/// <param name="Destination">Transport, address and port to send to.</param>
/// <param name="ConnectionId">The TCP connection the phone registered over, 0 when none or for UDP.</param>
/// <param name="Binding">The binding the target was taken from.</param>
public sealed record OperatorTarget(SipUri RequestUri, SipEndPoint Destination, long ConnectionId, RegistrationBinding Binding);
