using Intake.Acd.Decisions;
using Intake.Acd.Operators;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Engine;

public sealed class AcdEngineAbandonTests
{
    [Fact]
    public void CallerLeft_WhileQueued_AbandonedWithCallerNumberAndWait()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.Engine.CallArrived("c1", "police-number", "+4930555");
        h.Advance(42);

        Assert.Equal(AcdResult.Ok, h.Engine.CallerLeft("c1"));

        var abandoned = Assert.IsType<CallAbandoned>(Assert.Single(h.Drain().Skip(1)));
        Assert.Equal(("c1", "police", "+4930555", TimeSpan.FromSeconds(42), AcdHarness.Start), (abandoned.CallId, abandoned.Queue, abandoned.CallerNumber, abandoned.Wait, abandoned.ArrivedAt));
        Assert.Empty(abandoned.RingingOperators);
        Assert.Equal(abandoned, Assert.Single(h.Engine.GetAbandonedCalls()));
        Assert.Equal(0, h.Engine.GetQueueStatistics("police")!.Waiting);
    }

    [Fact]
    public void CallerLeft_WhileRinging_CancelsOfferAndFreesOperatorKeepingIdleTime()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", "+4930555");
        h.Advance(4);
        h.Drain();

        h.Engine.CallerLeft("c1");

        var decisions = h.Drain();
        Assert.Equal(new CancelOffer("c1", "op1", OfferCancelReason.CallerLeft), decisions[0] with { Sequence = 0, Timestamp = default });
        Assert.Equal(AcdOperatorState.Available, Assert.IsType<OperatorStateChanged>(decisions[1]).New);
        Assert.Equal(["op1"], Assert.IsType<CallAbandoned>(decisions[2]).RingingOperators);
        Assert.Equal(AcdHarness.Start, h.Engine.GetOperator("op1")!.IdleSince);
    }

    [Fact]
    public void CallerLeft_WhileRinging_OperatorTakesNextCall()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallArrived("c2", "police-number", null);
        h.Drain();

        h.Engine.CallerLeft("c1");

        Assert.Equal("c2", h.SingleOffer().CallId);
        Assert.Equal(AcdResult.UnknownCall, h.Engine.CallAnswered("c1", "op1"));
        Assert.Equal(AcdResult.Ok, h.Engine.CallAnswered("c2", "op1"));
    }

    [Fact]
    public void CallEnded_BeforeAnswer_CountsAsAbandoned()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.Engine.CallArrived("c1", "police-number", null);

        h.Engine.CallEnded("c1");

        Assert.Single(h.Drain<CallAbandoned>());
        Assert.Equal(1, h.Engine.GetQueueStatistics("police")!.Abandoned);
    }

    [Fact]
    public void CallerLeft_AfterAnswer_CompletesCall()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallAnswered("c1", "op1");
        h.Drain();

        h.Engine.CallerLeft("c1");

        var decisions = h.Drain();
        Assert.Single(decisions.OfType<CallCompleted>());
        Assert.Empty(decisions.OfType<CallAbandoned>());
    }

    [Fact]
    public void GetAbandonedCalls_MoreThanLimit_KeepsMostRecent()
    {
        var options = TestOptions.SingleQueue(TestOptions.Queue("police"), "op1") with { AbandonedHistoryLimit = 2 };
        using var h = new AcdHarness(options);
        foreach (var id in new[] { "c1", "c2", "c3" })
        {
            h.Engine.CallArrived(id, "police-number", null);
            h.Engine.CallerLeft(id);
        }

        Assert.Equal(["c2", "c3"], h.Engine.GetAbandonedCalls().Select(a => a.CallId));
    }
}
