using System.Runtime.CompilerServices;

namespace Intake.Media.Recording;

/// <summary>
/// Inline storage for one queued payload chunk. Copying the bytes into the queue entry itself
/// (instead of a pooled array) keeps the packet path allocation-free whichever threads
/// produce and consume. One 20 ms G.711 frame: longer packets travel as several chunks, and every queued entry costs
/// this much per call (the queue is about 32 entries deep between drains).
/// </summary>
[InlineArray(Size)]
internal struct PayloadBuffer
{
    public const int Size = 160;

    private byte _element0;
}
