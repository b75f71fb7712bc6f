using Intake.Contracts.V1;

namespace Intake.Server.Api;

/// <summary>Live queue statistics for Queues.GetStatus; implemented by the call controller over the ACD.</summary>
public interface IQueueStatusProvider
{
    /// <summary>Every configured queue's status, in configuration order.</summary>
    ValueTask<IReadOnlyList<QueueStatus>> GetQueueStatusAsync(CancellationToken cancellationToken);
}
