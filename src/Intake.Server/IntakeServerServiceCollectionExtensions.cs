using Intake.Acd.Engine;
using Intake.Server.Api;
using Intake.Server.Calls;
using Intake.Server.Configuration;
using Intake.Server.Operations;
using Intake.Server.Operators;
using Intake.Server.Sip;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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
        services.AddSingleton<BridgeMedia>();
        services.AddSingleton(sp => new AcdEngine(AcdOptionsMapper.Map(config), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CallController>();
        services.AddIntakeOperators(config);
        services.AddSingleton<IntakeRequestHandler>();
        services.AddSingleton(sp => sp.GetRequiredService<Operators.OperatorDirectory>().Sources);
        services.AddSingleton<IntakeInboundClassifier>();
        services.AddSingleton<AcdApiProvider>();
        services.AddSingleton<IQueueStatusProvider>(sp => sp.GetRequiredService<AcdApiProvider>());
        services.AddSingleton<Api.IOperatorDirectory>(sp => sp.GetRequiredService<AcdApiProvider>());
        services.AddSingleton<CallbackDialer>();
        services.AddSingleton<ICallbackDialer>(sp => sp.GetRequiredService<CallbackDialer>());

        // Hosted services stop in reverse order: SIP (ending calls) first, then the ACD loop, then the event log drains.
        services.AddSingleton<CallEventLog>();
        services.AddHostedService(sp => sp.GetRequiredService<CallEventLog>());
        services.AddHostedService<AcdCoordinator>();
        services.AddHostedService<MetricsGaugeSources>();

        // Before SIP listens: calls a crash left unfinished are closed first.
        services.AddHostedService<InterruptedCallRecovery>();
        services.AddSingleton<SipServerService>();
        services.AddHostedService(sp => sp.GetRequiredService<SipServerService>());

        // Registered last: its StoppingAsync drains calls while SIP, gRPC and /health still serve.
        services.AddHostedService<DrainService>();
        services.Configure<HostOptions>(options => options.ShutdownTimeout = DrainService.ShutdownTimeout(config.Intake.DrainSeconds));
        return services;
    }
}
