namespace Intake.Media.Recording;

/// <summary>A finished recording: where it is, how long, how big, its SHA-256 and what was lost on the way.</summary>
/// <param name="Path">Full path of the WAV file.</param>
/// <param name="Duration">Audio duration.</param>
/// <param name="SizeBytes">File size.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file.</param>
/// <param name="DroppedPackets">Packets dropped because the writer queue was full.</param>
/// <param name="LatePackets">Packets that arrived after their place had been written.</param>
public sealed record RecordingResult(string Path, TimeSpan Duration, long SizeBytes, string Sha256, long DroppedPackets, long LatePackets);
