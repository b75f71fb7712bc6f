using System.Buffers.Binary;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// Reads the RTP packets of a classic libpcap capture (global header, then per-packet records; Ethernet, IPv4, UDP),
/// so a test knows exactly what a peer replaying that capture sends.
/// </summary>
public static class PcapRtp
{
    private const uint MagicMicroseconds = 0xA1B2C3D4;
    private const uint MagicNanoseconds = 0xA1B23C4D;
    private const int LinkTypeEthernet = 1;

    /// <param name="CapturedAt">The capture's timestamp of the packet (since the Unix epoch), taken by the kernel.</param>
    public sealed record Packet(TimeSpan CapturedAt, byte PayloadType, bool Marker, ushort SequenceNumber, uint Timestamp, uint Ssrc, byte[] Payload);

    public static IReadOnlyList<Packet> Read(string path)
    {
        var data = File.ReadAllBytes(path);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(data);
        bool little;
        if (magic is MagicMicroseconds or MagicNanoseconds)
        {
            little = true;
        }
        else if (BinaryPrimitives.ReadUInt32BigEndian(data) is MagicMicroseconds or MagicNanoseconds)
        {
            little = false;
        }
        else
        {
            throw new InvalidDataException($"{path}: not a libpcap file (magic {magic:X8})");
        }

        var nanoseconds = (little ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32BigEndian(data)) == MagicNanoseconds;
        uint U32(int offset) => little ? BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
        if (U32(20) != LinkTypeEthernet)
        {
            throw new InvalidDataException($"{path}: link type {U32(20)}, only Ethernet is read");
        }

        var packets = new List<Packet>();
        var position = 24;
        while (position + 16 <= data.Length)
        {
            var at = TimeSpan.FromSeconds(U32(position)) + TimeSpan.FromTicks(nanoseconds ? U32(position + 4) / 100 : U32(position + 4) * 10L);
            var captured = (int)U32(position + 8);
            var frame = data.AsSpan(position + 16, Math.Min(captured, data.Length - position - 16));
            position += 16 + captured;
            if (TryParseFrame(frame, at, out var packet))
            {
                packets.Add(packet!);
            }
        }

        return packets;
    }

    private static bool TryParseFrame(ReadOnlySpan<byte> frame, TimeSpan capturedAt, out Packet? packet)
    {
        packet = null;
        var offset = 12;
        if (frame.Length < offset + 2)
        {
            return false;
        }

        var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        if (etherType == 0x8100)
        {
            offset += 4;
            etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        }

        offset += 2;
        if (etherType != 0x0800 || frame.Length < offset + 20 || frame[offset + 9] != 17)
        {
            return false;
        }

        var ipHeader = (frame[offset] & 0x0F) * 4;
        var udp = frame[(offset + ipHeader)..];
        if (udp.Length < 8 + 12)
        {
            return false;
        }

        var udpLength = BinaryPrimitives.ReadUInt16BigEndian(udp[4..]);
        var rtp = udp[8..Math.Min(udp.Length, udpLength)];
        if (rtp.Length < 12 || rtp[0] >> 6 != 2)
        {
            return false;
        }

        var headerLength = 12 + ((rtp[0] & 0x0F) * 4);
        if ((rtp[0] & 0x10) != 0 && rtp.Length >= headerLength + 4)
        {
            headerLength += 4 + (BinaryPrimitives.ReadUInt16BigEndian(rtp[(headerLength + 2)..]) * 4);
        }

        var payloadLength = rtp.Length - headerLength;
        if ((rtp[0] & 0x20) != 0 && payloadLength > 0)
        {
            payloadLength -= rtp[^1];
        }

        if (payloadLength < 0)
        {
            return false;
        }

        packet = new Packet(
            capturedAt,
            (byte)(rtp[1] & 0x7F),
            (rtp[1] & 0x80) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(rtp[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]),
            rtp.Slice(headerLength, payloadLength).ToArray());
        return true;
    }

    /// <summary>The audio of one payload type as a linear signal, each payload placed at its RTP timestamp.</summary>
    public static short[] DecodeALaw(IReadOnlyList<Packet> packets, byte payloadType = 8)
    {
        var audio = packets.Where(p => p.PayloadType == payloadType).ToList();
        var first = audio[0].Timestamp;
        var length = audio.Max(p => (long)(uint)(p.Timestamp - first) + p.Payload.Length);
        var signal = new short[length];
        foreach (var p in audio)
        {
            var at = (int)(uint)(p.Timestamp - first);
            for (var i = 0; i < p.Payload.Length; i++)
            {
                signal[at + i] = ALawToLinear(p.Payload[i]);
            }
        }

        return signal;
    }

    /// <summary>ITU-T G.711 A-law expansion, written from the standard's segment table.</summary>
    public static short ALawToLinear(byte code)
    {
        var a = code ^ 0x55;
        var segment = (a >> 4) & 0x07;
        var mantissa = a & 0x0F;
        var magnitude = segment == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (segment - 1);
        return (short)((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
