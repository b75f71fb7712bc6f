using System.Buffers.Binary;

namespace Intake.Media.Rtp;

/// <summary>The RFC 3550 §5.1 fixed header of one RTP packet, parsed from bytes without allocation.</summary>
public readonly struct RtpHeader
{
    /// <summary>Size of the fixed header without CSRCs or extension.</summary>
    public const int FixedSize = 12;

    /// <summary>Creates a header value (CSRC count 0, no extension, no padding).</summary>
    public RtpHeader(bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc)
    {
        Marker = marker;
        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        HeaderLength = FixedSize;
    }

    private RtpHeader(bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, int headerLength, int payloadLength)
        : this(marker, payloadType, sequenceNumber, timestamp, ssrc)
    {
        HeaderLength = headerLength;
        PayloadLength = payloadLength;
    }

    /// <summary>M bit; for audio, the first packet of a talkspurt.</summary>
    public bool Marker { get; }

    /// <summary>7-bit payload type.</summary>
    public byte PayloadType { get; }

    /// <summary>16-bit sequence number.</summary>
    public ushort SequenceNumber { get; }

    /// <summary>32-bit media timestamp.</summary>
    public uint Timestamp { get; }

    /// <summary>Synchronization source.</summary>
    public uint Ssrc { get; }

    /// <summary>Bytes before the payload: fixed header, CSRC list and header extension.</summary>
    public int HeaderLength { get; }

    /// <summary>Payload bytes, padding excluded (0 for a constructed header).</summary>
    public int PayloadLength { get; }

    /// <summary>
    /// Parses a packet. Returns false with a reason for anything that is not a well-formed
    /// RTP version 2 packet; never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header, out RtpParseError error)
    {
        header = default;
        if (packet.Length < FixedSize)
        {
            error = RtpParseError.TooShort;
            return false;
        }

        var first = packet[0];
        if (first >> 6 != 2)
        {
            error = RtpParseError.BadVersion;
            return false;
        }

        var length = FixedSize + ((first & 0x0F) * 4);
        if (packet.Length < length)
        {
            error = RtpParseError.TooShort;
            return false;
        }

        if ((first & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                error = RtpParseError.TooShort;
                return false;
            }

            length += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(length + 2)) * 4);
            if (packet.Length < length)
            {
                error = RtpParseError.TooShort;
                return false;
            }
        }

        var payloadLength = packet.Length - length;
        if ((first & 0x20) != 0)
        {
            var padding = packet[^1];
            if (padding == 0 || padding > payloadLength)
            {
                error = RtpParseError.BadPadding;
                return false;
            }

            payloadLength -= padding;
        }

        header = new RtpHeader(
            (packet[1] & 0x80) != 0,
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(2)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4)),
            BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8)),
            length,
            payloadLength);
        error = RtpParseError.None;
        return true;
    }

    /// <summary>The payload of <paramref name="packet"/> described by this header.</summary>
    public ReadOnlySpan<byte> GetPayload(ReadOnlySpan<byte> packet) => packet.Slice(HeaderLength, PayloadLength);

    /// <summary>Writes this header as a 12-byte fixed header (no CSRC, no extension) and returns 12.</summary>
    public int WriteTo(Span<byte> destination)
    {
        destination[0] = 0x80;
        destination[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), Ssrc);
        return FixedSize;
    }
}
