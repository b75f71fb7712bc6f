namespace Intake.Server.Storage;

/// <summary>
/// Recording metadata. Calls store it with their <c>recording</c> event, in the event log's transaction
/// (<see cref="Events.IEventStore.AppendBatchAsync"/>), so that a client told about the recording can download it.
/// </summary>
public interface IRecordingStore
{
    Task SaveRecordingAsync(RecordingInfo recording, CancellationToken cancellationToken = default);

    Task<RecordingInfo?> GetRecordingAsync(string recordingId, CancellationToken cancellationToken = default);
}
