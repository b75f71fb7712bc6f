using Intake.Server.Calls;
using Intake.Server.Configuration;
using Intake.Server.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Operations;

/// <summary>
/// Graceful shutdown. On SIGTERM (or Ctrl-C) the host runs every <see cref="IHostedLifecycleService.StoppingAsync"/>
/// before stopping any service, so this drain happens while SIP, gRPC and <c>/health</c> still serve: readiness
/// turns 503, new INVITEs get 503 with Retry-After, and calls in progress go on until they end or
/// <c>Intake:DrainSeconds</c> passes. Then the SIP service ends what is left (BYE on both legs, recordings sealed)
/// and the event log, stopping last, writes every event.
/// </summary>
public sealed class DrainService(
    IntakeConfiguration config,
    CallController calls,
    IntakeReadiness readiness,
    TimeProvider time,
    ILogger<DrainService> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// What the host is given on top of the drain to end the remaining calls (BYE transactions last up to 32 s on
    /// a silent peer, but the host only waits for our side) and to write the last events.
    /// </summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(15);

    /// <summary>The host's shutdown timeout for a drain of <paramref name="drainSeconds"/>.</summary>
    public static TimeSpan ShutdownTimeout(int drainSeconds) => TimeSpan.FromSeconds(Math.Max(0, drainSeconds)) + StopMargin;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.BeginDrain();
        calls.BeginDrain();
        var drain = TimeSpan.FromSeconds(Math.Max(0, config.Intake.DrainSeconds));
        OperationsLog.DrainStarted(logger, calls.ActiveCalls, (int)drain.TotalSeconds);
        var started = time.GetTimestamp();
        try
        {
            // Bounded by the drain time and by the host's own shutdown timeout.
            while (calls.ActiveCalls > 0 && time.GetElapsedTime(started) < drain)
            {
                var left = drain - time.GetElapsedTime(started);
                await Task.Delay(left < PollInterval ? left : PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first; the SIP service still ends the calls.
        }

        OperationsLog.DrainFinished(logger, (long)time.GetElapsedTime(started).TotalMilliseconds, calls.ActiveCalls);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
