namespace Intake.Server.Storage;

/// <summary>Durable per-sink delivery positions of the dispatch push.</summary>
public interface IDispatchCursorStore
{
    /// <summary>The last sequence the sink acknowledged; 0 for a sink never seen.</summary>
    Task<ulong> GetCursorAsync(string sink, CancellationToken cancellationToken = default);

    Task SetCursorAsync(string sink, ulong acknowledged, CancellationToken cancellationToken = default);
}
