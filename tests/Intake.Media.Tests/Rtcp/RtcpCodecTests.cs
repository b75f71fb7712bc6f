using Intake.Media.Rtcp;

namespace Intake.Media.Tests.Rtcp;

public sealed class RtcpCodecTests
{
    [Fact]
    public void RoundTrip_Rfc3550Example_Gives6125Milliseconds()
    {
        // RFC 3550 §6.4.1 example: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 → RTT 0x0006:2000 (6.125 s).
        var block = new RtcpReportBlock(1, 0, 0, 0, 0, 0xB7052000, 0x00054000);

        var rtt = block.RoundTrip(new NtpTimestamp(0xB710, 0x80000000));

        Assert.Equal(0x00062000u, rtt);
        Assert.Equal(6125.0, NtpTimestamp.ShortUnitsToMilliseconds(rtt!.Value));
    }

    [Fact]
    public void RoundTrip_NoSenderReportSeen_IsNull()
    {
        Assert.Null(new RtcpReportBlock(1, 0, 0, 0, 0, 0, 0).RoundTrip(new NtpTimestamp(5, 0)));
    }

    [Fact]
    public void WriteReport_SenderReportWithBlock_ParsesBack()
    {
        var buffer = new byte[128];
        var info = new RtcpSenderInfo(new NtpTimestamp(3_900_000_000, 0x12345678), 160_000, 1000, 160_000);
        var block = new RtcpReportBlock(0xAABBCCDD, 64, -3, 70_000, 25, 0x11112222, 0x00010000);

        var length = RtcpCodec.WriteReport(buffer, 0x01020304, info, block);
        length += RtcpCodec.WriteGoodbye(buffer.AsSpan(length), 0x01020304);
        var report = new RtcpReport();

        Assert.True(RtcpCodec.TryParse(buffer.AsSpan(0, length), report));
        Assert.Equal(52 + 8, length);
        Assert.Equal(0x01020304u, report.SenderSsrc);
        Assert.True(report.HasSenderInfo);
        Assert.Equal(info, report.SenderInfo);
        Assert.True(report.HasGoodbye);
        Assert.Equal(block, Assert.Single(report.Blocks.ToArray()));
    }

    [Fact]
    public void TryParse_TruncatedLength_ReturnsFalse()
    {
        var buffer = new byte[64];
        var length = RtcpCodec.WriteReport(buffer, 1, null, new RtcpReportBlock(2, 0, 0, 0, 0, 0, 0));

        Assert.False(RtcpCodec.TryParse(buffer.AsSpan(0, length - 4), new RtcpReport()));
    }

    [Fact]
    public void FromDateTimeOffset_UnixEpoch_IsNtpEra0Offset()
    {
        var ntp = NtpTimestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddSeconds(0.5));

        Assert.Equal(2_208_988_800u, ntp.Seconds);
        Assert.Equal(0x80000000u, ntp.Fraction);
    }
}
