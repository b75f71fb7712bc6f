namespace Intake.Sip.Registrar;

public sealed class BindingEventArgs(RegistrationBinding binding) : EventArgs
{
    public RegistrationBinding Binding { get; } = binding;
}
