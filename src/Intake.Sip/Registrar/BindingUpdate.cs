using Intake.Sip.Messages;

namespace Intake.Sip.Registrar;

/// <summary>One Contact of a REGISTER after validation: what to bind and for how long (zero removes).</summary>
public sealed record BindingUpdate(SipNameAddress Contact, TimeSpan Expires, string? InstanceId, string? RegId, double? Q);
