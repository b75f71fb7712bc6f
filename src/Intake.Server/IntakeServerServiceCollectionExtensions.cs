using Intake.Server.Calls;
using Intake.Server.Configuration;
using Intake.Server.Operators;
using Intake.Server.Sip;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Server;

/// <summary>Wires the layers: one place that says what the server is made of.</summary>
public static class IntakeServerServiceCollectionExtensions
{
    public static IServiceCollection AddIntakeServer(this IServiceCollection services, IntakeConfiguration config, string configFile)
    {
        services.AddSingleton(config);
        services.AddSingleton(new ConfigurationSource(configFile));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CallMedia>();
        services.AddSingleton<CallController>();
        services.AddIntakeOperators(config);
        services.AddSingleton<IntakeRequestHandler>();
        services.AddSingleton<SipServerService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipServerService>());
        return services;
    }
}
