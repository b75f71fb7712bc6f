using Intake.Server.Configuration;
using Intake.Sip.Registrar;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Operators;

public static class OperatorServiceCollectionExtensions
{
    /// <summary>
    /// The operator registrar. Call before the SIP service is added as a hosted service, so that the persisted
    /// registrations are restored before the transports receive the first REGISTER.
    /// </summary>
    public static IServiceCollection AddIntakeOperators(this IServiceCollection services, IntakeConfiguration config)
    {
        services.AddSingleton(sp => new OperatorDirectory(
            OperatorDirectoryOptions.FromConfiguration(config), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(OperatorRegistrationSettings.FromConfiguration(config));
        services.AddSingleton<IBindingKeepAliveSender, StackKeepAliveSender>();
        services.AddHostedService<OperatorRegistrationService>();
        return services;
    }
}
