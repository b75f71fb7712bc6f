namespace Intake.Media.Codecs;

/// <summary>The four-byte RFC 4733 §2.3 event payload.</summary>
public readonly record struct TelephoneEventPayload(byte Event, bool End, byte Volume, ushort Duration)
{
    /// <summary>Size of one event block.</summary>
    public const int Size = 4;

    /// <summary>Parses the first event block; false if the payload is too short.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEventPayload value)
    {
        if (payload.Length < Size)
        {
            value = default;
            return false;
        }

        value = new TelephoneEventPayload(
            payload[0],
            (payload[1] & 0x80) != 0,
            (byte)(payload[1] & 0x3F),
            (ushort)((payload[2] << 8) | payload[3]));
        return true;
    }

    /// <summary>Writes the block into <paramref name="destination"/> (at least 4 bytes).</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        destination[2] = (byte)(Duration >> 8);
        destination[3] = (byte)Duration;
    }
}
