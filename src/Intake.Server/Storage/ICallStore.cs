using Intake.Contracts.V1;

namespace Intake.Server.Storage;

/// <summary>The call table: one row per call, projected from its events as they are appended.</summary>
public interface ICallStore
{
    /// <summary>The call with every one of its events in order, or null when unknown (or purged).</summary>
    Task<Call?> GetCallAsync(string callId, CancellationToken cancellationToken = default);

    /// <summary>Calls matching the query, newest arrival first, without their events.</summary>
    Task<CallPage> ListCallsAsync(CallQuery query, CancellationToken cancellationToken = default);
}
