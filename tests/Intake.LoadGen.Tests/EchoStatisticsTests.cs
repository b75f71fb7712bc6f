namespace Intake.LoadGen.Tests;

public class EchoStatisticsTests
{
    [Fact]
    public void OnTagged_CountsFromFirstPacketSeen()
    {
        var stats = new EchoStatistics();

        stats.OnTagged(counter: 5, echoed: true);
        stats.OnTagged(counter: 4, echoed: true); // reordered from before bridge start: not counted
        stats.OnTagged(counter: 6, echoed: false);
        stats.OnTagged(counter: 8, echoed: true);

        Assert.Equal(5, stats.FirstCounter);
        Assert.Equal(3, stats.ReceivedSinceFirst);
        Assert.Equal(2, stats.EchoedSinceFirst);
        Assert.Equal(5, stats.ExpectedSinceFirst(sent: 10));
    }

    [Fact]
    public void ExpectedSinceFirst_NothingArrived_Zero()
    {
        Assert.Equal(0, new EchoStatistics().ExpectedSinceFirst(sent: 100));
    }
}
