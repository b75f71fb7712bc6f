namespace Intake.Sip.Registrar;

public sealed record BindingKeepAliveOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failed probes after which a binding is marked unreachable.</summary>
    public int FailureThreshold { get; init; } = 3;

    public int MaxConcurrentProbes { get; init; } = 16;
}
