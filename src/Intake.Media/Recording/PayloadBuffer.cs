using System.Runtime.CompilerServices;

namespace Intake.Media.Recording;

/// <summary>
/// Inline storage for one queued payload chunk. Copying the bytes into the queue entry itself
/// (instead of a pooled array) keeps the packet path allocation-free whichever threads
/// produce and consume.
/// </summary>
[InlineArray(Size)]
internal struct PayloadBuffer
{
    public const int Size = 320;

    private byte _element0;
}
