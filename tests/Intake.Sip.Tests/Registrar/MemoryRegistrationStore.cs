using Intake.Sip.Registrar;

namespace Intake.Sip.Tests.Registrar;

/// <summary>Records what the registrar persists, without touching the disk.</summary>
internal sealed class MemoryRegistrationStore : IRegistrationStore
{
    public Dictionary<(string Aor, string Key), RegistrationBinding> Bindings { get; } = new();

    public IReadOnlyList<RegistrationBinding> Load() => Bindings.Values.ToList();

    public void Save(RegistrationBinding binding) => Bindings[(binding.Aor, binding.Key)] = binding;

    public void Remove(RegistrationBinding binding) => Bindings.Remove((binding.Aor, binding.Key));
}
