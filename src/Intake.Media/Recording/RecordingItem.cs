using Intake.Media.Codecs;

namespace Intake.Media.Recording;

/// <summary>One entry of the recorder queue: a copied payload (pooled buffer) or a flush tick.</summary>
internal readonly record struct RecordingItem(
    RecordingChannel Channel,
    uint Ssrc,
    uint Timestamp,
    AudioEncoding Encoding,
    byte[]? Buffer,
    int Length,
    long Arrival)
{
    public bool IsFlush => Buffer is null;
}
