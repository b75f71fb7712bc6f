namespace Intake.LoadGen.Tests;

public class ReturnStatisticsTests
{
    private const int ClockRate = 8000;

    [Fact]
    public void LossPercent_CountsOnlyFromFirstTaggedPacket()
    {
        var stats = new ReturnStatistics(callIndex: 7, ClockRate);
        // packets 0..9 were sent before the bridge (prompt comes back untagged); 10..109 are relayed but 11 and 50 lost
        for (var i = 0; i < 10; i++)
        {
            stats.OnPacket(i * 0.02, (uint)(i * 160), tag: null);
        }

        for (var counter = 10; counter < 110; counter++)
        {
            if (counter is 11 or 50)
            {
                continue;
            }

            stats.OnPacket(counter * 0.02 + 0.001, (uint)(counter * 160), new PacketTag(7, counter));
        }

        Assert.Equal(10, stats.FirstTaggedCounter);
        Assert.Equal(100, stats.ExpectedSinceStart(sent: 110));
        Assert.Equal(98, stats.TaggedSinceStart);
        Assert.Equal(2.0, stats.LossPercent(sent: 110)!.Value, precision: 9);
        Assert.Equal(108, stats.Received);
    }

    [Fact]
    public void OnPacket_OtherCallsTag_CountsForeignNotTagged()
    {
        var stats = new ReturnStatistics(callIndex: 1, ClockRate);

        stats.OnPacket(0, 0, new PacketTag(2, 0));

        Assert.Equal(1, stats.ForeignTagged);
        Assert.Equal(0, stats.Tagged);
        Assert.Null(stats.LossPercent(sent: 50));
    }

    [Fact]
    public void OnPacket_PerfectlyPaced_JitterZero()
    {
        var stats = new ReturnStatistics(callIndex: 1, ClockRate);

        for (var i = 0; i < 50; i++)
        {
            stats.OnPacket(1.0 + (i * 0.02), (uint)(i * 160), new PacketTag(1, i));
        }

        Assert.Equal(49, stats.JitterSamples);
        Assert.Equal(0.0, stats.JitterMaxSeconds, precision: 12);
    }

    [Fact]
    public void OnPacket_OneLateArrival_JitterFollowsRfc3550()
    {
        var stats = new ReturnStatistics(callIndex: 1, ClockRate);

        stats.OnPacket(0.000, 0, new PacketTag(1, 0));
        stats.OnPacket(0.036, 160, new PacketTag(1, 1)); // 16 ms late: D = 0.016, J = 0.016 / 16
        stats.OnPacket(0.040, 320, new PacketTag(1, 2)); // back on time: D = -0.016, J += (0.016 - J) / 16

        var first = 0.016 / 16;
        var second = first + ((0.016 - first) / 16);
        Assert.Equal(second, stats.JitterSeconds, precision: 12);
        Assert.Equal(second, stats.JitterMaxSeconds, precision: 12);
        Assert.Equal((first + second) / 2, stats.JitterMeanSeconds, precision: 12);
    }

    [Fact]
    public void OnPacket_TimestampJump_IsNotJitter()
    {
        var stats = new ReturnStatistics(callIndex: 1, ClockRate);

        stats.OnPacket(0.00, 0, new PacketTag(1, 0));
        stats.OnPacket(0.02, 800_000, new PacketTag(1, 1));

        Assert.Equal(0, stats.JitterSamples);
    }
}
