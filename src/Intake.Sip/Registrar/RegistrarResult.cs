using Intake.Sip.Messages;

namespace Intake.Sip.Registrar;

/// <summary>The outcome of one REGISTER.</summary>
/// <param name="Response">The response to send (through the server transaction).</param>
/// <param name="Delay">Hold the response this long before sending (authentication failure slowdown).</param>
/// <param name="Change">The binding changes when the request was accepted; null otherwise.</param>
/// <param name="Username">The authenticated username, when authentication succeeded.</param>
public sealed record RegistrarResult(SipResponse Response, TimeSpan Delay, RegistrationChange? Change, string? Username);
