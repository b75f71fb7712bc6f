using Intake.Acd.Configuration;
using Intake.Acd.Operators;
using Intake.Acd.Statistics;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Statistics;

public sealed class AcdQueueStatisticsTests
{
    private static AcdHarness Create(string? overflowUri = null) => new(TestOptions.SingleQueue(
        TestOptions.Queue("police", overflowUri: overflowUri, wrapUp: 0, ringTimeout: 120, maxWait: 300, serviceLevels: [10, 20]),
        "op1"));

    /// <summary>A call that arrives now and is answered by op1 after <paramref name="seconds"/>, then ends.</summary>
    private static void AnsweredAfter(AcdHarness h, string id, double seconds)
    {
        Assert.Equal(AcdResult.Ok, h.Engine.CallArrived(id, "police-number", null));
        h.Advance(seconds);
        Assert.Equal(AcdResult.Ok, h.Engine.CallAnswered(id, "op1"));
        h.Engine.CallEnded(id);
    }

    private static void AbandonedAfter(AcdHarness h, string id, double seconds)
    {
        h.Engine.CallArrived(id, "police-number", null);
        h.Advance(seconds);
        h.Engine.CallerLeft(id);
    }

    [Fact]
    public void Snapshot_NoCalls_EmptyCountersAndNullRatios()
    {
        using var h = Create();

        var stats = h.Engine.GetQueueStatistics("police")!;

        Assert.Equal((0, TimeSpan.Zero, 0L, 0L, 0L, 0L, (TimeSpan?)null), (stats.Waiting, stats.LongestCurrentWait, stats.Offered, stats.Answered, stats.Abandoned, stats.Overflowed, stats.AverageSpeedOfAnswer));
        Assert.Equal([new ServiceLevel(10, 0, 0, null), new ServiceLevel(20, 0, 0, null)], stats.ServiceLevels);
        Assert.Equal(1, stats.OperatorsByState[AcdOperatorState.LoggedOut]);
        Assert.Equal(Enum.GetValues<AcdOperatorState>().Length, stats.OperatorsByState.Count);
        Assert.Null(h.Engine.GetQueueStatistics("nope"));
    }

    [Fact]
    public void AverageSpeedOfAnswer_ThreeAnsweredCalls_IsMeanOfWaits()
    {
        using var h = Create();
        h.RegisterAll("op1");

        AnsweredAfter(h, "c1", 4);
        AnsweredAfter(h, "c2", 8);
        AnsweredAfter(h, "c3", 15);

        var stats = h.Engine.GetQueueStatistics("police")!;
        Assert.Equal((3L, 3L), (stats.Offered, stats.Answered));
        Assert.Equal(TimeSpan.FromSeconds(9), stats.AverageSpeedOfAnswer);
    }

    [Fact]
    public void ServiceLevel_MixedOutcomes_FollowsDocumentedFormula()
    {
        using var h = Create(TestOptions.OverflowUri);
        h.RegisterAll("op1");
        AnsweredAfter(h, "a1", 5);
        AnsweredAfter(h, "a2", 10);
        AnsweredAfter(h, "a3", 12);
        AnsweredAfter(h, "a4", 25);
        h.Engine.SetNotReady("op1", "stats");
        AbandonedAfter(h, "ab1", 3);
        AbandonedAfter(h, "ab2", 15);
        AbandonedAfter(h, "ab3", 30);
        h.Engine.CallArrived("ov1", "police-number", null);
        h.Advance(300);

        var stats = h.Engine.GetQueueStatistics("police")!;

        // T=10: answered ≤10 = {a1, a2}; counted = 4 answered + 1 overflowed + 2 abandoned after 10 s (ab2, ab3) = 7.
        // T=20: answered ≤20 = {a1, a2, a3}; counted = 4 + 1 + 1 abandoned after 20 s (ab3) = 6.
        Assert.Equal(new ServiceLevel(10, 2, 7, 100.0 * 2 / 7), stats.ServiceLevels[0]);
        Assert.Equal(new ServiceLevel(20, 3, 6, 50.0), stats.ServiceLevels[1]);
        Assert.Equal((8L, 4L, 3L, 1L), (stats.Offered, stats.Answered, stats.Abandoned, stats.Overflowed));
        Assert.Equal(TimeSpan.FromSeconds(13), stats.AverageSpeedOfAnswer);
    }

    [Fact]
    public void ServiceLevel_AnsweredExactlyAtThreshold_CountsAsWithin()
    {
        using var h = Create();
        h.RegisterAll("op1");

        AnsweredAfter(h, "c1", 10);

        Assert.Equal(100.0, h.Engine.GetQueueStatistics("police")!.ServiceLevels[0].Percent);
    }

    [Fact]
    public void ServiceLevel_ServerArrivalTimeEarlier_CountsFromArrival()
    {
        using var h = Create();
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "x");
        h.Advance(8);

        h.Engine.CallArrived("c1", "police-number", null, AcdHarness.Start);
        h.Engine.SetReady("op1");
        h.Advance(4);
        h.Engine.CallAnswered("c1", "op1");

        var stats = h.Engine.GetQueueStatistics("police")!;
        Assert.Equal(TimeSpan.FromSeconds(12), stats.AverageSpeedOfAnswer);
        Assert.Equal((0L, 1L), (stats.ServiceLevels[0].AnsweredWithin, stats.ServiceLevels[1].AnsweredWithin));
    }

    [Fact]
    public void Snapshot_CallsWaiting_ReportsCountLongestWaitAndOperatorStates()
    {
        using var h = Create();
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(7);
        h.Engine.CallArrived("c2", "police-number", null);
        h.Advance(3);

        var stats = h.Engine.GetQueueStatistics("police")!;

        Assert.Equal((2, TimeSpan.FromSeconds(10)), (stats.Waiting, stats.LongestCurrentWait));
        Assert.Equal(1, stats.OperatorsByState[AcdOperatorState.Ringing]);
        Assert.Equal(0, stats.OperatorsByState[AcdOperatorState.LoggedOut]);
        Assert.Equal(["police"], h.Engine.GetStatistics().Select(s => s.Queue));
    }

    [Fact]
    public void ResetStatistics_AfterCalls_ZeroesCountersButKeepsWaiting()
    {
        using var h = Create();
        h.RegisterAll("op1");
        AnsweredAfter(h, "c1", 5);
        h.Engine.CallArrived("c2", "police-number", null);

        h.Engine.ResetStatistics();

        var stats = h.Engine.GetQueueStatistics("police")!;
        Assert.Equal((0L, 0L, 1), (stats.Offered, stats.Answered, stats.Waiting));
        Assert.Null(stats.AverageSpeedOfAnswer);
    }

    [Fact]
    public void DefaultThresholds_NotConfigured_ReportTenFifteenTwenty()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(new AcdQueueOptions { Name = "police" }, "op1"));

        Assert.Equal([10, 15, 20], h.Engine.GetQueueStatistics("police")!.ServiceLevels.Select(s => s.ThresholdSeconds));
    }
}
