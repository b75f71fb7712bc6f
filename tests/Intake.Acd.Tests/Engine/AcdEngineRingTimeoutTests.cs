using Intake.Acd.Decisions;
using Intake.Acd.Operators;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Engine;

public sealed class AcdEngineRingTimeoutTests
{
    [Fact]
    public void RingTimeout_NoAnswer_CancelsAutoPausesAndOffersNextOperator()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police", ringTimeout: 15), "op1", "op2"));
        h.RegisterAll("op1");
        h.Advance(1);
        h.RegisterAll("op2");
        h.Engine.CallArrived("c1", "police-number", null);
        Assert.Equal(["op1"], h.SingleOffer().Operators);

        h.Advance(14.9);
        Assert.Empty(h.Drain());
        h.Advance(0.1);

        var decisions = h.Drain();
        Assert.Equal(new CancelOffer("c1", "op1", OfferCancelReason.RingTimeout), decisions[0] with { Sequence = 0, Timestamp = default });
        var pause = Assert.IsType<OperatorStateChanged>(decisions[1]);
        Assert.Equal((AcdOperatorState.Ringing, AcdOperatorState.NotReady, AcdReasons.AutoPauseNoAnswer), (pause.Old, pause.New, pause.Reason));
        Assert.Equal(AcdHarness.Start.AddSeconds(16), pause.Timestamp);
        Assert.Equal(["op2"], Assert.Single(decisions.OfType<OfferCall>()).Operators);
    }

    [Fact]
    public void CallAnswered_AfterRingTimeout_ReturnsNotOffered()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police", ringTimeout: 10), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(10);

        Assert.Equal(AcdResult.NotOffered, h.Engine.CallAnswered("c1", "op1"));
        Assert.Equal(AcdOperatorState.NotReady, h.Engine.GetOperator("op1")!.State);
        Assert.Equal(1, h.Engine.GetQueueStatistics("police")!.Waiting);
    }

    [Fact]
    public void RingTimeout_OnlyOperator_CallWaitsUntilOperatorReadyAgain()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police", ringTimeout: 10), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(10);
        h.Drain();
        h.Advance(100);
        Assert.Empty(h.Drain<OfferCall>());

        h.Engine.SetReady("op1");

        Assert.Equal("c1", h.SingleOffer().CallId);
    }

    [Theory]
    [InlineData(OfferFailureReason.Rejected, AcdReasons.AutoPauseRejected)]
    [InlineData(OfferFailureReason.Failed, AcdReasons.AutoPauseFailed)]
    [InlineData(OfferFailureReason.NoAnswer, AcdReasons.AutoPauseNoAnswer)]
    public void OfferFailed_AnyReason_AutoPausesAndOffersNext(OfferFailureReason reason, string expectedReason)
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1", "op2"));
        h.RegisterAll("op1", "op2");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Drain();

        Assert.Equal(AcdResult.Ok, h.Engine.OfferFailed("c1", "op1", reason));

        var decisions = h.Drain();
        Assert.DoesNotContain(decisions, d => d is CancelOffer);
        var snapshot = h.Engine.GetOperator("op1")!;
        Assert.Equal((AcdOperatorState.NotReady, expectedReason), (snapshot.State, snapshot.Reason));
        Assert.Equal(["op2"], Assert.Single(decisions.OfType<OfferCall>()).Operators);
    }

    [Fact]
    public void OfferFailed_AfterAnswerByOther_ReturnsNotOfferedAndChangesNothing()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police"), "op1", "op2"));
        h.RegisterAll("op1", "op2");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallAnswered("c1", "op1");
        h.Drain();

        Assert.Equal(AcdResult.NotOffered, h.Engine.OfferFailed("c1", "op2", OfferFailureReason.Failed));
        Assert.Equal(AcdResult.UnknownOperator, h.Engine.OfferFailed("c1", "nobody", OfferFailureReason.Failed));
        Assert.Equal(AcdResult.UnknownCall, h.Engine.OfferFailed("c9", "op2", OfferFailureReason.Failed));
        Assert.Empty(h.Drain());
        Assert.Equal(AcdOperatorState.Available, h.Engine.GetOperator("op2")!.State);
    }

    [Fact]
    public void RingTimeout_AnsweredInTime_StaleTimeoutIgnored()
    {
        using var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police", ringTimeout: 10), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(5);
        h.Engine.CallAnswered("c1", "op1");
        h.Drain();

        h.Advance(20);

        Assert.Empty(h.Drain());
        Assert.Equal(AcdOperatorState.OnCall, h.Engine.GetOperator("op1")!.State);
    }
}
