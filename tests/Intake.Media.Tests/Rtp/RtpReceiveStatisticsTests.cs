using Intake.Media.Rtp;

namespace Intake.Media.Tests.Rtp;

public sealed class RtpReceiveStatisticsTests
{
    private const uint Ssrc = 0x1234;

    private static RtpPacketOutcome Feed(RtpReceiveStatistics stats, int seq, long arrival = 0, uint ssrc = Ssrc) =>
        stats.Update(ssrc, (ushort)seq, (uint)(seq * 160), arrival, includeInJitter: false);

    [Fact]
    public void Update_SequenceWrap_ExtendsHighestAndCountsNoLoss()
    {
        var stats = new RtpReceiveStatistics(8000);
        for (var i = 0; i < 100; i++)
        {
            Feed(stats, (65500 + i) & 0xFFFF);
        }

        Assert.Equal(65536 + 63, stats.ExtendedHighestSequence);
        Assert.Equal(100, stats.Expected);
        Assert.Equal(0, stats.Lost);
    }

    [Fact]
    public void Update_GapThenLateArrival_CountsReorderNotLoss()
    {
        var stats = new RtpReceiveStatistics(8000);
        Feed(stats, 10);
        Feed(stats, 11);
        Feed(stats, 13);
        Assert.Equal(1, stats.Lost);

        Assert.Equal(RtpPacketOutcome.Reordered, Feed(stats, 12));
        Assert.Equal(0, stats.Lost);
        Assert.Equal(1, stats.Reordered);
    }

    [Fact]
    public void Update_DuplicatesIncludingAcrossWrap_NotCountedAsReceived()
    {
        var stats = new RtpReceiveStatistics(8000);
        Feed(stats, 65534);
        Feed(stats, 65535);
        Feed(stats, 0);
        Feed(stats, 1);

        Assert.Equal(RtpPacketOutcome.Duplicate, Feed(stats, 1));
        Assert.Equal(RtpPacketOutcome.Duplicate, Feed(stats, 65535));
        Assert.Equal(2, stats.Duplicates);
        Assert.Equal(4, stats.Received);
        Assert.Equal(0, stats.Lost);
    }

    [Fact]
    public void Update_LossThenFraction_ReportsRfc3550FixedPoint()
    {
        var stats = new RtpReceiveStatistics(8000);
        for (var i = 0; i < 100; i++)
        {
            if (i % 4 != 3)
            {
                Feed(stats, i);
            }
        }

        // Highest received is 98: 99 expected, 75 received, 24 lost.
        Assert.Equal(24, stats.Lost);
        Assert.Equal((byte)(24 * 256 / 99), stats.TakeFractionLost());
        Assert.Equal(0, stats.TakeFractionLost());
    }

    [Fact]
    public void Update_SsrcChange_StartsNewSourceKeepingEarlierLoss()
    {
        var stats = new RtpReceiveStatistics(8000);
        Feed(stats, 1);
        Feed(stats, 3);

        Assert.Equal(RtpPacketOutcome.NewSource, Feed(stats, 5000, ssrc: 99));
        Feed(stats, 5001, ssrc: 99);
        Assert.Equal(1, stats.SourceChanges);
        Assert.Equal(1, stats.TotalLost);
        Assert.Equal(0, stats.Lost);
        Assert.Equal(99u, stats.Ssrc);
    }

    [Fact]
    public void Update_HugeJumpConfirmedBySecondPacket_RestartsSequence()
    {
        var stats = new RtpReceiveStatistics(8000);
        Feed(stats, 100);
        Feed(stats, 101);

        Assert.Equal(RtpPacketOutcome.Discarded, Feed(stats, 30000));
        Assert.Equal(RtpPacketOutcome.InOrder, Feed(stats, 30001));
        Feed(stats, 30002);
        Assert.Equal(0, stats.Lost);
        Assert.Equal(30002, stats.ExtendedHighestSequence);
    }

    [Fact]
    public void Update_Jitter_MatchesRfc3550A8Reference()
    {
        // Arrival times in timestamp units with a known irregular pattern.
        long[] arrivalJitter = [0, 40, -25, 80, 0, 13, -60, 7, 120, -5, 33, 0, 0, 90, -45];
        var stats = new RtpReceiveStatistics(8000);
        double reference = 0;
        long? lastTransit = null;
        for (var i = 0; i < arrivalJitter.Length; i++)
        {
            var timestamp = (uint)(1000 + (i * 160));
            var arrival = 50_000 + (i * 160) + arrivalJitter[i];
            stats.Update(Ssrc, (ushort)i, timestamp, arrival, includeInJitter: true);

            // RFC 3550 A.8: D(i-1,i) = (Rj - Ri) - (Sj - Si); J += (|D| - J) / 16.
            var transit = arrival - timestamp;
            if (lastTransit is { } previous)
            {
                reference += (Math.Abs(transit - previous) - reference) / 16.0;
            }

            lastTransit = transit;
        }

        Assert.InRange(stats.Jitter, Math.Floor(reference) - 1, Math.Ceiling(reference) + 1);
        Assert.InRange(stats.JitterMilliseconds, (reference - 1) / 8.0, (reference + 1) / 8.0);
    }

    [Fact]
    public void Update_TelephoneEventPackets_DoNotChangeJitter()
    {
        var stats = new RtpReceiveStatistics(8000);
        stats.Update(Ssrc, 1, 160, 1000, includeInJitter: true);
        stats.Update(Ssrc, 2, 320, 1160, includeInJitter: true);
        stats.Update(Ssrc, 3, 320, 1800, includeInJitter: false);
        stats.Update(Ssrc, 4, 320, 2400, includeInJitter: false);

        Assert.Equal(0u, stats.Jitter);
    }
}
