using Intake.Sip.Registrar;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Operators;

/// <summary>
/// Host side of the operator registrar: restores the persisted registrations before the SIP transports open (it is
/// registered ahead of the SIP service), probes bindings with OPTIONS while running when keep-alive is enabled, and
/// drops held failure responses at stop.
/// </summary>
public sealed class OperatorRegistrationService(
    OperatorDirectory directory,
    IBindingKeepAliveSender sender,
    OperatorRegistrationSettings settings,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<OperatorRegistrationService>();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        directory.Start();
        var keepAlive = settings.KeepAliveInterval is { } interval ? $"every {interval.TotalSeconds:0} s" : "disabled";
        OperatorLog.Ready(_logger, directory.Realm, settings.Accounts, keepAlive);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await directory.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.KeepAliveInterval is not { } interval)
        {
            return;
        }

        var keepAlive = new BindingKeepAlive(
            directory.Locations, sender, new BindingKeepAliveOptions { Interval = interval }, timeProvider, loggerFactory.CreateLogger<BindingKeepAlive>());
        try
        {
            await keepAlive.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Registrations keep working without probing; only unreachable phones go unnoticed until they expire.
            OperatorLog.KeepAliveFailed(_logger, exception);
        }
    }
}
