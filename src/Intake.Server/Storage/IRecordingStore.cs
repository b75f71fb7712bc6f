namespace Intake.Server.Storage;

/// <summary>
/// Recording metadata. The call controller saves it when a recording is sealed, before it appends the
/// <c>recording</c> event, so that a client told about the recording can download it.
/// </summary>
public interface IRecordingStore
{
    Task SaveRecordingAsync(RecordingInfo recording, CancellationToken cancellationToken = default);

    Task<RecordingInfo?> GetRecordingAsync(string recordingId, CancellationToken cancellationToken = default);
}
