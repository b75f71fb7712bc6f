using Intake.Media.Codecs;

namespace Intake.Media.Recording;

/// <summary>One entry of the recorder queue: a copied payload chunk, or a flush tick when <see cref="Length"/> is 0.</summary>
internal struct RecordingItem
{
    public RecordingChannel Channel;
    public uint Ssrc;
    public uint Timestamp;
    public AudioEncoding Encoding;
    public int Length;
    public long Arrival;
    public PayloadBuffer Payload;

    public readonly bool IsFlush => Length == 0;
}
