namespace Intake.Sip.Registrar;

/// <summary>Implemented by the host: sends an OPTIONS to a binding (to Source when PrefersSource) and reports the outcome.</summary>
public interface IBindingKeepAliveSender
{
    /// <summary>True when any final response arrived (even 4xx/5xx: the phone is alive); false on timeout or transport error.</summary>
    ValueTask<bool> SendOptionsAsync(RegistrationBinding binding, CancellationToken cancellationToken);
}
