using System.Buffers.Binary;

namespace Intake.LoadGen;

/// <summary>
/// The identification written over the first bytes of every payload the generator sends: a marker byte, the call
/// index and the packet counter. Intake relays payload bytes unchanged between legs of the same codec, so a tag that
/// comes back proves that this call's audio went through the bridge and returned — and which packet it was.
/// </summary>
internal readonly record struct PacketTag(int CallIndex, int Counter)
{
    /// <summary>Bytes the tag occupies at the start of the payload.</summary>
    public const int Size = 6;

    /// <summary>Largest call index a tag carries (16 bits).</summary>
    public const int MaxCallIndex = ushort.MaxValue;

    /// <summary>Largest packet counter a tag carries (24 bits: 93 hours of 20 ms packets).</summary>
    public const int MaxCounter = 0xFF_FFFF;

    // An A-law byte that the tone never produces, so audio that happens to start like a tag is rare; the call index
    // must match as well before a packet counts as ours.
    private const byte Marker = 0xA7;

    /// <summary>Writes the tag into <paramref name="payload"/> (at least <see cref="Size"/> bytes).</summary>
    public void WriteTo(Span<byte> payload)
    {
        if ((uint)CallIndex > MaxCallIndex || (uint)Counter > MaxCounter)
        {
            throw new InvalidOperationException($"tag out of range: call {CallIndex}, counter {Counter}");
        }

        payload[0] = Marker;
        BinaryPrimitives.WriteUInt16BigEndian(payload[1..], (ushort)CallIndex);
        payload[3] = (byte)(Counter >> 16);
        payload[4] = (byte)(Counter >> 8);
        payload[5] = (byte)Counter;
    }

    /// <summary>Reads a tag from the start of a payload; false when the payload is too short or carries none.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out PacketTag tag)
    {
        tag = default;
        if (payload.Length < Size || payload[0] != Marker)
        {
            return false;
        }

        var call = BinaryPrimitives.ReadUInt16BigEndian(payload[1..]);
        var counter = (payload[3] << 16) | (payload[4] << 8) | payload[5];
        tag = new PacketTag(call, counter);
        return true;
    }
}
