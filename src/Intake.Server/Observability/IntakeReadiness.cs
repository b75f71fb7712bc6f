namespace Intake.Server.Observability;

/// <summary>
/// Whether the server wants new work. Load balancers and orchestrators read it through <c>/health/ready</c>; once
/// draining starts (SIGTERM) it never goes back, since the process is on its way out.
/// </summary>
public sealed class IntakeReadiness
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    /// <summary>From now on <c>/health/ready</c> answers 503 "draining"; calling it again changes nothing.</summary>
    public void BeginDrain() => _draining = true;
}
