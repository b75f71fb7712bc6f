using System.Buffers.Binary;

namespace Intake.Media.Rtcp;

/// <summary>Reads and writes the RTCP packets Intake uses: SR, RR (with one report block) and BYE.</summary>
public static class RtcpCodec
{
    /// <summary>
    /// Parses a compound RTCP packet into <paramref name="report"/>. Unknown packet types are
    /// skipped; false when the structure is broken (lengths, version) — never throws.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> compound, RtcpReport report)
    {
        report.Reset();
        var any = false;
        while (compound.Length >= 4)
        {
            if (compound[0] >> 6 != 2)
            {
                return false;
            }

            var count = compound[0] & 0x1F;
            var type = compound[1];
            var length = (BinaryPrimitives.ReadUInt16BigEndian(compound.Slice(2)) + 1) * 4;
            if (length > compound.Length)
            {
                return false;
            }

            var packet = compound[..length];
            switch ((RtcpPacketType)type)
            {
                case RtcpPacketType.SenderReport:
                    if (packet.Length < 28 + (count * RtcpReportBlock.Size))
                    {
                        return false;
                    }

                    report.SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4));
                    report.HasSenderInfo = true;
                    report.SenderInfo = new RtcpSenderInfo(
                        new NtpTimestamp(BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(8)), BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(12))),
                        BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(16)),
                        BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(20)),
                        BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(24)));
                    ReadBlocks(packet.Slice(28), count, report);
                    break;
                case RtcpPacketType.ReceiverReport:
                    if (packet.Length < 8 + (count * RtcpReportBlock.Size))
                    {
                        return false;
                    }

                    report.SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet.Slice(4));
                    ReadBlocks(packet.Slice(8), count, report);
                    break;
                case RtcpPacketType.Goodbye:
                    report.HasGoodbye = true;
                    break;
            }

            any = true;
            compound = compound[length..];
        }

        return any && compound.IsEmpty;
    }

    /// <summary>Writes an SR (when <paramref name="senderInfo"/> is given) or an RR, with an optional report block. Returns bytes written.</summary>
    public static int WriteReport(Span<byte> destination, uint ssrc, RtcpSenderInfo? senderInfo, RtcpReportBlock? block)
    {
        var blocks = block.HasValue ? 1 : 0;
        var length = 8 + (senderInfo.HasValue ? 20 : 0) + (blocks * RtcpReportBlock.Size);
        destination[0] = (byte)(0x80 | blocks);
        destination[1] = (byte)(senderInfo.HasValue ? RtcpPacketType.SenderReport : RtcpPacketType.ReceiverReport);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), ssrc);
        var offset = 8;
        if (senderInfo is { } info)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), info.NtpTime.Seconds);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12), info.NtpTime.Fraction);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), info.RtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), info.PacketCount);
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(24), info.OctetCount);
            offset = 28;
        }

        if (block is { } b)
        {
            var d = destination.Slice(offset);
            BinaryPrimitives.WriteUInt32BigEndian(d, b.Ssrc);
            var lost = Math.Clamp(b.CumulativeLost, -0x800000, 0x7FFFFF);
            BinaryPrimitives.WriteUInt32BigEndian(d.Slice(4), ((uint)b.FractionLost << 24) | ((uint)lost & 0xFFFFFF));
            BinaryPrimitives.WriteUInt32BigEndian(d.Slice(8), b.ExtendedHighestSequence);
            BinaryPrimitives.WriteUInt32BigEndian(d.Slice(12), b.Jitter);
            BinaryPrimitives.WriteUInt32BigEndian(d.Slice(16), b.LastSenderReport);
            BinaryPrimitives.WriteUInt32BigEndian(d.Slice(20), b.DelaySinceLastSenderReport);
        }

        return length;
    }

    /// <summary>Writes a BYE for <paramref name="ssrc"/>. Returns bytes written (8).</summary>
    public static int WriteGoodbye(Span<byte> destination, uint ssrc)
    {
        destination[0] = 0x81;
        destination[1] = (byte)RtcpPacketType.Goodbye;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), ssrc);
        return 8;
    }

    private static void ReadBlocks(ReadOnlySpan<byte> data, int count, RtcpReport report)
    {
        for (var i = 0; i < count; i++)
        {
            var d = data.Slice(i * RtcpReportBlock.Size);
            var word = BinaryPrimitives.ReadUInt32BigEndian(d.Slice(4));
            var lost = (int)(word & 0xFFFFFF);
            if ((lost & 0x800000) != 0)
            {
                lost |= unchecked((int)0xFF000000);
            }

            report.AddBlock(new RtcpReportBlock(
                BinaryPrimitives.ReadUInt32BigEndian(d),
                (byte)(word >> 24),
                lost,
                BinaryPrimitives.ReadUInt32BigEndian(d.Slice(8)),
                BinaryPrimitives.ReadUInt32BigEndian(d.Slice(12)),
                BinaryPrimitives.ReadUInt32BigEndian(d.Slice(16)),
                BinaryPrimitives.ReadUInt32BigEndian(d.Slice(20))));
        }
    }
}
