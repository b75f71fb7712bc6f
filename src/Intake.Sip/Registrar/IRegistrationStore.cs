namespace Intake.Sip.Registrar;

/// <summary>
/// Persists bindings so that operators stay reachable across a server restart without waiting for their
/// phones to re-register. Implementations must be thread-safe; calls are made synchronously from request
/// handling, so they must be quick (small files, local database).
/// </summary>
public interface IRegistrationStore
{
    IReadOnlyList<RegistrationBinding> Load();

    /// <summary>Inserts or replaces the binding with the same AOR and Key.</summary>
    void Save(RegistrationBinding binding);

    /// <summary>Removes the binding with the same AOR and Key, if present.</summary>
    void Remove(RegistrationBinding binding);
}
