using Intake.Server.Configuration;

namespace Intake.Server.Operators;

/// <summary>The host-level settings of the operator registrar.</summary>
/// <param name="KeepAliveInterval">OPTIONS probing period; null disables probing.</param>
/// <param name="Accounts">Configured operator accounts (for the start-up log).</param>
public sealed record OperatorRegistrationSettings(TimeSpan? KeepAliveInterval, int Accounts)
{
    public static OperatorRegistrationSettings FromConfiguration(IntakeConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var seconds = config.Intake.OperatorKeepAliveSeconds;
        return new OperatorRegistrationSettings(seconds > 0 ? TimeSpan.FromSeconds(seconds) : null, config.Operators.Count);
    }
}
