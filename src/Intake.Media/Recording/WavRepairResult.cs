namespace Intake.Media.Recording;

/// <summary>Outcome of repairing one WAV file.</summary>
/// <param name="Path">The file.</param>
/// <param name="Repaired">Whether sizes were rewritten.</param>
/// <param name="DataBytes">Audio bytes in the (repaired) data chunk.</param>
/// <param name="Error">Why it could not be read or repaired, or null.</param>
public sealed record WavRepairResult(string Path, bool Repaired, long DataBytes, string? Error);
