using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Intake.Server.Storage;

/// <summary>Reports the gRPC health as NOT_SERVING while the database cannot be read: without it no event can be stored.</summary>
public sealed class StorageHealthCheck : IHealthCheck
{
    private readonly IStorageBackend _backend;

    public StorageHealthCheck(IStorageBackend backend)
    {
        _backend = backend;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var sequence = await _backend.GetLatestSequenceAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"event log at sequence {sequence}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the event store cannot be read", ex);
        }
    }
}
