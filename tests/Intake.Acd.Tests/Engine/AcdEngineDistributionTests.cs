using Intake.Acd.Decisions;
using Intake.Acd.Operators;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Engine;

public sealed class AcdEngineDistributionTests
{
    [Fact]
    public void CallArrived_OperatorAvailable_QueuesThenOffersToThatOperator()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.RegisterAll("op1");
        h.Drain();

        Assert.Equal(AcdResult.Ok, h.Engine.CallArrived("c1", "police-number", "+4930123"));

        var decisions = h.Drain();
        var queued = Assert.IsType<CallQueued>(decisions[0]);
        Assert.Equal(("c1", "police", 1), (queued.CallId, queued.Queue, queued.Position));
        Assert.Equal(new OperatorStateChanged("op1", AcdOperatorState.Available, AcdOperatorState.Ringing, AcdReasons.Offered) { Sequence = decisions[1].Sequence, Timestamp = AcdHarness.Start }, decisions[1]);
        var offer = Assert.IsType<OfferCall>(decisions[2]);
        Assert.Equal(["op1"], offer.Operators);
        Assert.Equal("+4930123", offer.CallerNumber);
        Assert.Equal(TimeSpan.FromSeconds(15), offer.RingTimeout);
        Assert.Equal("c1", h.Engine.GetOperator("op1")!.OfferedCallId);
    }

    [Fact]
    public void CallArrived_UnknownNumberWithoutDefaultQueue_ReturnsUnknownNumber()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));

        Assert.Equal(AcdResult.UnknownNumber, h.Engine.CallArrived("c1", "999", null));
        Assert.Empty(h.Drain());
    }

    [Fact]
    public void CallArrived_UnknownNumberWithDefaultQueue_GoesToDefaultQueue()
    {
        var options = TestOptions.SingleQueue(TestOptions.Queue("police"), "op1") with { DefaultQueue = "police" };
        using var h = new AcdHarness(options);

        Assert.Equal(AcdResult.Ok, h.Engine.CallArrived("c1", "999", null));

        Assert.Equal("police", Assert.Single(h.Drain<CallQueued>()).Queue);
        Assert.Equal("police", h.Engine.FindQueue("999"));
    }

    [Fact]
    public void CallArrived_SameCallIdTwice_ReturnsDuplicateCall()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.Engine.CallArrived("c1", "police-number", null);

        Assert.Equal(AcdResult.DuplicateCall, h.Engine.CallArrivedInQueue("c1", "police", null));
        Assert.Equal(AcdResult.UnknownQueue, h.Engine.CallArrivedInQueue("c2", "nope", null));
        Assert.Equal(AcdResult.InvalidArgument, h.Engine.CallArrived("", "police-number", null));
    }

    [Fact]
    public void Dispatch_EqualPriority_ServesCallsFifoAcrossQueues()
    {
        var options = TestOptions.Options(
            [TestOptions.Queue("police"), TestOptions.Queue("fire")],
            TestOptions.Operator("op1", "police", "fire"));
        using var h = new AcdHarness(options);
        h.Engine.CallArrived("fire-1", "fire-number", null);
        h.Advance(1);
        h.Engine.CallArrived("police-1", "police-number", null);
        h.Advance(1);
        h.Engine.CallArrived("fire-2", "fire-number", null);

        var served = new List<string>();
        h.RegisterAll("op1");
        for (var i = 0; i < 3; i++)
        {
            var offer = h.SingleOffer();
            served.Add(offer.CallId);
            h.Engine.CallAnswered(offer.CallId, "op1");
            h.Engine.CallEnded(offer.CallId);
            h.Engine.SetReady("op1");
        }

        Assert.Equal(["fire-1", "police-1", "fire-2"], served);
    }

    [Fact]
    public void Dispatch_HigherPriorityQueue_ServedBeforeOlderLowerPriorityCall()
    {
        var options = TestOptions.Options(
            [TestOptions.Queue("info", priority: 1), TestOptions.Queue("emergency", priority: 10)],
            TestOptions.Operator("op1", "info", "emergency"));
        using var h = new AcdHarness(options);
        h.Engine.CallArrived("info-1", "info-number", null);
        h.Advance(5);
        h.Engine.CallArrived("emergency-1", "emergency-number", null);

        h.RegisterAll("op1");

        Assert.Equal("emergency-1", h.SingleOffer().CallId);
        Assert.Equal(2, h.Engine.GetQueueStatistics("emergency")!.Waiting + h.Engine.GetQueueStatistics("info")!.Waiting);
    }

    [Fact]
    public void Dispatch_HeadCallHasNoOperator_DoesNotBlockOtherQueue()
    {
        var options = TestOptions.Options(
            [TestOptions.Queue("police", priority: 5), TestOptions.Queue("fire")],
            TestOptions.Operator("cop", "police"),
            TestOptions.Operator("firefighter", "fire"));
        using var h = new AcdHarness(options);
        h.RegisterAll("cop", "firefighter");
        h.Engine.SetNotReady("cop", "break");
        h.Drain();

        h.Engine.CallArrived("police-1", "police-number", null);
        h.Engine.CallArrived("fire-1", "fire-number", null);

        var offer = h.SingleOffer();
        Assert.Equal(("fire-1", "firefighter"), (offer.CallId, offer.Operators[0]));
    }

    [Fact]
    public void CallQueued_SecondCallInQueue_ReportsPositionTwo()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallArrived("c2", "police-number", null);

        Assert.Equal([1, 2], h.Drain<CallQueued>().Select(q => q.Position));
        Assert.Equal(2, h.Engine.GetQueuePosition("c2"));
        Assert.Null(h.Engine.GetQueuePosition("nope"));
    }

    [Fact]
    public void Dispatch_LongestIdle_ChoosesOperatorAvailableLongest()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1", "op2", "op3"));
        h.RegisterAll("op2");
        h.Advance(10);
        h.RegisterAll("op3");
        h.Advance(10);
        h.RegisterAll("op1");
        h.Drain();

        h.Engine.CallArrived("c1", "police-number", null);
        Assert.Equal(["op2"], h.SingleOffer().Operators);
        h.Engine.CallArrived("c2", "police-number", null);
        Assert.Equal(["op3"], h.SingleOffer().Operators);
    }

    [Fact]
    public void Dispatch_LongestIdle_IdleCountsFromEndOfWrapUp()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police", wrapUp: 10), "op1", "op2"));
        h.RegisterAll("op1");
        h.Advance(1);
        h.RegisterAll("op2");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallAnswered("c1", "op1");
        h.Advance(30);
        h.Engine.CallEnded("c1");
        h.Advance(10);
        h.Drain();

        // op1 finished wrap-up just now; op2 has been idle for 41 s.
        h.Engine.CallArrived("c2", "police-number", null);

        Assert.Equal(["op2"], h.SingleOffer().Operators);
        Assert.Equal(AcdHarness.Start.AddSeconds(41), h.Engine.GetOperator("op1")!.IdleSince);
    }

    [Fact]
    public void Dispatch_HigherSkillLevelAvailable_PreferredOverLongerIdleBackup()
    {
        var options = TestOptions.Options(
            [TestOptions.Queue("fire")],
            TestOptions.OperatorWithSkills("backup", ("fire", 1)),
            TestOptions.OperatorWithSkills("expert", ("fire", 3)));
        using var h = new AcdHarness(options);
        h.RegisterAll("backup");
        h.Advance(60);
        h.RegisterAll("expert");
        h.Drain();

        h.Engine.CallArrived("c1", "fire-number", null);
        Assert.Equal(["expert"], h.SingleOffer().Operators);
        h.Engine.CallArrived("c2", "fire-number", null);
        Assert.Equal(["backup"], h.SingleOffer().Operators);
    }

    [Fact]
    public void Dispatch_OneOperatorTwoCalls_SecondCallWaitsWithoutOffer()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallArrived("c2", "police-number", null);

        var offers = h.Drain<OfferCall>();

        Assert.Equal("c1", Assert.Single(offers).CallId);
        Assert.Equal(2, h.Engine.GetQueueStatistics("police")!.Waiting);
        Assert.Empty(h.Engine.CheckInvariants());
    }
}
