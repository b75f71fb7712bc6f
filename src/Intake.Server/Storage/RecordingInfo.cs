namespace Intake.Server.Storage;

/// <summary>A sealed recording: where its WAV file is and what clients are told about it.</summary>
public sealed record RecordingInfo(
    string RecordingId,
    string CallId,
    string Path,
    double DurationSeconds,
    ulong SizeBytes,
    string Sha256,
    DateTimeOffset CreatedAt);
