using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Server.Storage;

/// <summary>Purges what is older than <c>Storage:RetentionDays</c>: once at start, then every day.</summary>
public sealed partial class RetentionService : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(1);

    private readonly IStorageBackend _backend;
    private readonly StorageOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RetentionService> _logger;

    public RetentionService(IStorageBackend backend, IOptions<StorageOptions> options, TimeProvider timeProvider, ILogger<RetentionService> logger)
    {
        _backend = backend;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>One purge; returns what was removed, or null when retention is off.</summary>
    public async Task<PurgeResult?> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        if (_options.RetentionDays == 0)
        {
            return null;
        }

        var cutoff = _timeProvider.GetUtcNow() - TimeSpan.FromDays(_options.RetentionDays);
        var result = await _backend.PurgeAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var filesDeleted = 0;
        foreach (var path in result.RecordingPaths)
        {
            // The row is gone already: a file that cannot be deleted now is reported, not retried forever.
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                    filesDeleted++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogFileNotDeleted(path, ex.Message);
            }
        }

        LogPurged(cutoff, result.Events, result.Calls, filesDeleted, result.Registrations);
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.RetentionDays == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(Period, _timeProvider);
        try
        {
            do
            {
                try
                {
                    await PurgeOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next day's run tries again; a purge failure must not stop the server.
                    LogPurgeFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping, possibly before start-up finished.
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information,
        Message = "Retention purge before {Cutoff:o}: {Events} events, {Calls} calls, {Files} recording files, {Registrations} expired registrations")]
    private partial void LogPurged(DateTimeOffset cutoff, int events, int calls, int files, int registrations);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Retention purge could not delete recording file {Path}: {Reason}")]
    private partial void LogFileNotDeleted(string path, string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Retention purge failed")]
    private partial void LogPurgeFailed(Exception exception);
}
