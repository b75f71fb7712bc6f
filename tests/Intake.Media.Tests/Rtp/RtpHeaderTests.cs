using Intake.Media.Rtp;

namespace Intake.Media.Tests.Rtp;

public sealed class RtpHeaderTests
{
    [Fact]
    public void WriteTo_ThenTryParse_RoundTrips()
    {
        var buffer = new byte[12 + 160];
        new RtpHeader(true, 8, 65535, 0xFFFFFF60, 0xDEADBEEF).WriteTo(buffer);

        Assert.True(RtpHeader.TryParse(buffer, out var header, out var error));
        Assert.Equal(RtpParseError.None, error);
        Assert.True(header.Marker);
        Assert.Equal(8, header.PayloadType);
        Assert.Equal(65535, header.SequenceNumber);
        Assert.Equal(0xFFFFFF60u, header.Timestamp);
        Assert.Equal(0xDEADBEEFu, header.Ssrc);
        Assert.Equal(160, header.PayloadLength);
    }

    [Fact]
    public void TryParse_CsrcExtensionAndPadding_FindsPayload()
    {
        // V=2 P=1 X=1 CC=1, then CSRC, extension header with 1 word, 3 payload bytes, 2 bytes padding.
        byte[] packet = [0xB1, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 9, 0xBE, 0xDE, 0, 1, 1, 2, 3, 4, 0xAA, 0xBB, 0xCC, 0, 2];

        Assert.True(RtpHeader.TryParse(packet, out var header, out _));
        Assert.Equal(24, header.HeaderLength);
        Assert.Equal([0xAA, 0xBB, 0xCC], header.GetPayload(packet).ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0, 0 }, RtpParseError.TooShort)]
    [InlineData(new byte[] { 0x40, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, RtpParseError.BadVersion)]
    [InlineData(new byte[] { 0x82, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, RtpParseError.TooShort)]
    [InlineData(new byte[] { 0xA0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 5 }, RtpParseError.BadPadding)]
    public void TryParse_Malformed_ReturnsReason(byte[] packet, RtpParseError expected)
    {
        Assert.False(RtpHeader.TryParse(packet, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(65535, 0, 1)]
    [InlineData(0, 65535, -1)]
    [InlineData(100, 50, -50)]
    [InlineData(65500, 36, 72)]
    public void SequenceDelta_AcrossWrap_IsSigned(int from, int to, int expected)
    {
        Assert.Equal(expected, RtpSequenceMath.SequenceDelta((ushort)from, (ushort)to));
    }

    [Fact]
    public void TimestampDelta_AcrossWrap_IsSigned()
    {
        Assert.Equal(160, RtpSequenceMath.TimestampDelta(uint.MaxValue - 79, 80));
        Assert.True(RtpSequenceMath.IsNewerTimestamp(80, uint.MaxValue - 79));
        Assert.False(RtpSequenceMath.IsNewerTimestamp(uint.MaxValue - 79, 80));
    }
}
