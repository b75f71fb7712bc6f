namespace Intake.Server.Storage;

/// <summary>What a retention purge removed; the recording files are deleted by the caller after the rows are gone.</summary>
public sealed record PurgeResult(int Events, int Calls, IReadOnlyList<string> RecordingPaths, int Registrations);
