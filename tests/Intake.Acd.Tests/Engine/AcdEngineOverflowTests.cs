using Intake.Acd.Configuration;
using Intake.Acd.Decisions;
using Intake.Acd.Operators;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Engine;

public sealed class AcdEngineOverflowTests
{
    private static AcdHarness WithOverflow(int maxWait = 60, int ringTimeout = 15, params string[] operators) =>
        new(TestOptions.SingleQueue(
            TestOptions.Queue("police", overflowUri: TestOptions.OverflowUri, maxWait: maxWait, ringTimeout: ringTimeout),
            operators.Length == 0 ? ["op1"] : operators));

    [Fact]
    public void MaxWait_CallNeverOffered_OverflowsAtDeadline()
    {
        using var h = WithOverflow(maxWait: 30);
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "training");
        h.Engine.CallArrived("c1", "police-number", "+4930999");
        h.Drain();

        h.Advance(29.9);
        Assert.Empty(h.Drain());
        h.Advance(0.1);

        var overflow = Assert.IsType<OverflowCall>(Assert.Single(h.Drain()));
        Assert.Equal(
            ("c1", TestOptions.OverflowUri, OverflowReason.MaxWait, "+4930999", TimeSpan.FromSeconds(30)),
            (overflow.CallId, overflow.OverflowUri, overflow.Reason, overflow.CallerNumber, overflow.Wait));
        Assert.Equal(AcdResult.UnknownCall, h.Engine.CallerLeft("c1"));
        Assert.Equal(1, h.Engine.GetQueueStatistics("police")!.Overflowed);
    }

    [Fact]
    public void MaxWait_ServerArrivalTimeEarlier_CountsFromArrival()
    {
        using var h = WithOverflow(maxWait: 30);
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "training");
        h.Advance(10);

        h.Engine.CallArrived("c1", "police-number", null, AcdHarness.Start.AddSeconds(2));
        h.Advance(21.9);
        Assert.Empty(h.Drain<OverflowCall>());
        h.Advance(0.1);

        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(h.Drain<OverflowCall>()).Wait);
    }

    [Fact]
    public void MaxWait_ArrivalAlreadyPastDeadline_OverflowsWithinSameInput()
    {
        using var h = WithOverflow(maxWait: 30);
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "training");
        h.Advance(100);
        h.Drain();

        h.Engine.CallArrived("c1", "police-number", null, AcdHarness.Start);

        var decisions = h.Drain();
        Assert.IsType<CallQueued>(decisions[0]);
        Assert.Equal(OverflowReason.MaxWait, Assert.IsType<OverflowCall>(decisions[1]).Reason);
    }

    [Fact]
    public void MaxWait_WhileRinging_LetsRingFinishThenOverflowsOnNoAnswer()
    {
        using var h = WithOverflow(maxWait: 20, ringTimeout: 15, "op1", "op2");
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "busy");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(10);
        h.Engine.SetReady("op1");
        h.RegisterAll("op2");
        Assert.Equal(["op1"], h.SingleOffer().Operators);

        h.Advance(10);
        Assert.Empty(h.Drain());
        h.Advance(5);

        var decisions = h.Drain();
        Assert.Equal(OfferCancelReason.RingTimeout, Assert.IsType<CancelOffer>(decisions[0]).Reason);
        Assert.Equal(OverflowReason.MaxWait, Assert.Single(decisions.OfType<OverflowCall>()).Reason);
        Assert.Empty(decisions.OfType<OfferCall>());
        Assert.Equal(AcdOperatorState.Available, h.Engine.GetOperator("op2")!.State);
    }

    [Fact]
    public void MaxWait_WhileRingingThenAnswered_NoOverflow()
    {
        using var h = WithOverflow(maxWait: 20, ringTimeout: 15);
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "busy");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(10);
        h.Engine.SetReady("op1");
        h.Advance(12);

        Assert.Equal(AcdResult.Ok, h.Engine.CallAnswered("c1", "op1"));
        Assert.Empty(h.Drain<OverflowCall>());
    }

    [Fact]
    public void CallArrived_NobodyLoggedIn_OverflowsAtOnceWithoutQueueing()
    {
        using var h = WithOverflow();

        Assert.Equal(AcdResult.Ok, h.Engine.CallArrived("c1", "police-number", null));

        var overflow = Assert.IsType<OverflowCall>(Assert.Single(h.Drain()));
        Assert.Equal((OverflowReason.NoOperatorLoggedIn, TimeSpan.Zero), (overflow.Reason, overflow.Wait));
        var stats = h.Engine.GetQueueStatistics("police")!;
        Assert.Equal((1L, 1L, 0), (stats.Offered, stats.Overflowed, stats.Waiting));
    }

    [Fact]
    public void CallArrived_OperatorsLoggedInButNotReady_Queues()
    {
        using var h = WithOverflow();
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "break");
        h.Drain();

        h.Engine.CallArrived("c1", "police-number", null);

        Assert.IsType<CallQueued>(Assert.Single(h.Drain()));
    }

    [Fact]
    public void OperatorUnregistered_LastOfQueueWhileCallsWait_OverflowsThem()
    {
        using var h = WithOverflow(60, 15, "op1", "op2");
        h.RegisterAll("op1", "op2");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallArrived("c2", "police-number", null);
        h.Engine.CallArrived("c3", "police-number", null);
        h.Engine.SetNotReady("op1", "break");
        h.Engine.OperatorUnregistered("op2");
        Assert.Empty(h.Drain<OverflowCall>());

        h.Engine.OperatorUnregistered("op1");

        var decisions = h.Drain();
        var overflows = decisions.OfType<OverflowCall>().ToList();
        Assert.Equal(["c1", "c2", "c3"], overflows.Select(o => o.CallId).Order());
        Assert.All(overflows, o => Assert.Equal(OverflowReason.NoOperatorLoggedIn, o.Reason));
    }

    [Fact]
    public void OperatorUnregistered_LastOnCall_OverflowsWaitingOnlyWhenCallEnds()
    {
        using var h = WithOverflow();
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallAnswered("c1", "op1");
        h.Engine.CallArrived("c2", "police-number", null);
        h.Engine.OperatorUnregistered("op1");
        Assert.Empty(h.Drain<OverflowCall>());

        h.Engine.CallEnded("c1");

        var decisions = h.Drain();
        Assert.Equal(AcdOperatorState.LoggedOut, decisions.OfType<OperatorStateChanged>().Last().New);
        Assert.Equal(("c2", OverflowReason.NoOperatorLoggedIn), decisions.OfType<OverflowCall>().Select(o => (o.CallId, o.Reason)).Single());
    }

    [Fact]
    public void CallArrived_MaxConcurrentCallsReached_OverflowsWithCapacity()
    {
        var options = TestOptions.SingleQueue(TestOptions.Queue("police", overflowUri: TestOptions.OverflowUri), "op1") with { MaxConcurrentCalls = 2 };
        using var h = new AcdHarness(options);
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallAnswered("c1", "op1");
        h.Engine.CallArrived("c2", "police-number", null);
        h.Drain();

        h.Engine.CallArrived("c3", "police-number", null);

        Assert.Equal(OverflowReason.Capacity, Assert.IsType<OverflowCall>(Assert.Single(h.Drain())).Reason);
    }

    [Fact]
    public void MaxWait_QueueWithoutOverflowUri_CallKeepsWaiting()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police", maxWait: 10), "op1"));

        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(3600);

        Assert.Empty(h.Drain<OverflowCall>());
        var stats = h.Engine.GetQueueStatistics("police")!;
        Assert.Equal((1, TimeSpan.FromHours(1)), (stats.Waiting, stats.LongestCurrentWait));
    }

    [Fact]
    public void Overflow_OtherQueueUnaffected_WhenOneQueueLosesOperators()
    {
        var options = TestOptions.Options(
            [TestOptions.Queue("police", overflowUri: TestOptions.OverflowUri), TestOptions.Queue("fire", overflowUri: TestOptions.OverflowUri)],
            TestOptions.Operator("cop", "police"),
            TestOptions.Operator("firefighter", "fire"));
        using var h = new AcdHarness(options);
        h.RegisterAll("cop", "firefighter");
        h.Engine.SetNotReady("firefighter", "drill");
        h.Engine.SetNotReady("cop", "drill");
        h.Engine.CallArrived("p1", "police-number", null);
        h.Engine.CallArrived("f1", "fire-number", null);
        h.Drain();

        h.Engine.OperatorUnregistered("cop");

        Assert.Equal("p1", Assert.Single(h.Drain<OverflowCall>()).CallId);
        Assert.Equal(1, h.Engine.GetQueueStatistics("fire")!.Waiting);
    }
}
