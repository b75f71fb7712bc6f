using Intake.Acd.Engine;
using Intake.Server.Operators;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Calls;

/// <summary>
/// Feeds the ACD what happens to operators' phones and carries out its decisions, in the order it makes them.
/// One loop, so two decisions about the same operator are never acted on out of order.
/// </summary>
public sealed partial class AcdCoordinator(
    AcdEngine acd,
    CallController calls,
    OperatorDirectory operators,
    ILogger<AcdCoordinator> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        operators.BindingsChanged += OnBindingsChanged;
        operators.Unreachable += OnUnreachable;
        // Phones registered before a restart are back (their bindings were restored): they are logged in again.
        foreach (var username in operators.RegisteredUsernames)
        {
            acd.OperatorRegistered(username);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var decision in acd.Decisions.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    calls.OnDecision(decision);
                }
                catch (Exception ex)
                {
                    LogDecisionFailed(ex, decision.ToString());
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        operators.BindingsChanged -= OnBindingsChanged;
        operators.Unreachable -= OnUnreachable;
        return base.StopAsync(cancellationToken);
    }

    private void OnBindingsChanged(string username, bool registered)
    {
        var result = registered ? acd.OperatorRegistered(username) : acd.OperatorUnregistered(username);
        LogRegistration(username, registered, result.ToString());
    }

    private void OnUnreachable(string username) => acd.OperatorUnreachable(username);

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "ACD decision {Decision} could not be carried out")]
    private partial void LogDecisionFailed(Exception exception, string decision);

    [LoggerMessage(EventId = 51, Level = LogLevel.Information, Message = "Operator {Username} registered={Registered}: ACD {Result}")]
    private partial void LogRegistration(string username, bool registered, string result);
}
