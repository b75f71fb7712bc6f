namespace Intake.Sip.Registrar;

/// <summary>What one REGISTER (or sweep, or probe) changed for an AOR, for the host to feed the ACD.</summary>
public sealed record RegistrationChange(
    string Aor,
    IReadOnlyList<RegistrationBinding> Added,
    IReadOnlyList<RegistrationBinding> Refreshed,
    IReadOnlyList<RegistrationBinding> Removed,
    IReadOnlyList<RegistrationBinding> Current)
{
    public bool IsEmpty => Added.Count == 0 && Refreshed.Count == 0 && Removed.Count == 0;
}
