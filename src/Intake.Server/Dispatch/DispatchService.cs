using Intake.Server.Events;
using Intake.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Server.Dispatch;

/// <summary>Runs one <see cref="DispatchSinkWorker"/> per configured endpoint and logs their lag periodically.</summary>
public sealed partial class DispatchService : BackgroundService, IDispatchStatus
{
    private readonly DispatchOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DispatchService> _logger;
    private readonly DispatchSinkWorker[] _workers;

    public DispatchService(
        IEventStore store, EventHub hub, IDispatchCursorStore cursors, IOptions<DispatchOptions> options, TimeProvider timeProvider, ILogger<DispatchService> logger)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _workers = [.. _options.Endpoints.Select(endpoint => new DispatchSinkWorker(endpoint, store, hub, cursors, _options, timeProvider, logger))];
    }

    public IReadOnlyList<DispatchSinkStatus> GetSinks() => [.. _workers.Select(w => w.Status)];

    public override void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_workers.Length == 0)
        {
            return;
        }

        var loops = _workers.Select(w => w.RunAsync(stoppingToken)).Append(LogLagAsync(stoppingToken));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task LogLagAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.LagLogIntervalSeconds), _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (var sink in GetSinks())
                {
                    LogLag(sink.Endpoint, sink.Lag, sink.Acknowledged, sink.Latest);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 35, Level = LogLevel.Information, Message = "Dispatch {Endpoint}: lag {Lag} events (acknowledged {Acknowledged}, latest {Latest})")]
    private partial void LogLag(string endpoint, ulong lag, ulong acknowledged, ulong latest);
}
