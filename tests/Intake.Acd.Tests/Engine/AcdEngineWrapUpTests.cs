using Intake.Acd.Decisions;
using Intake.Acd.Operators;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Engine;

public sealed class AcdEngineWrapUpTests
{
    private static AcdHarness Connected(int wrapUp)
    {
        var h = new AcdHarness(TestOptions.SingleQueue(TestOptions.Queue("police", wrapUp: wrapUp), "op1"));
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", "+491701234");
        h.Engine.CallAnswered("c1", "op1");
        h.Advance(60);
        h.Drain();
        return h;
    }

    [Fact]
    public void CallEnded_Answered_CompletesAndStartsWrapUpForQueueDuration()
    {
        using var h = Connected(wrapUp: 10);

        Assert.Equal(AcdResult.Ok, h.Engine.CallEnded("c1"));

        var decisions = h.Drain();
        Assert.Equal(TimeSpan.FromSeconds(60), Assert.IsType<CallCompleted>(decisions[0]).TalkTime);
        Assert.Equal(AcdOperatorState.WrapUp, Assert.IsType<OperatorStateChanged>(decisions[1]).New);
        h.Advance(9.999);
        Assert.Empty(h.Drain());
        h.Advance(0.001);
        var available = Assert.Single(h.Drain<OperatorStateChanged>());
        Assert.Equal((AcdOperatorState.WrapUp, AcdOperatorState.Available, AcdReasons.WrapUpEnded), (available.Old, available.New, available.Reason));
        Assert.Equal(AcdHarness.Start.AddSeconds(70), available.Timestamp);
    }

    [Fact]
    public void WrapUpEnd_CallWaiting_OfferedAtWrapUpEnd()
    {
        using var h = Connected(wrapUp: 10);
        h.Engine.CallArrived("c2", "police-number", null);
        h.Engine.CallEnded("c1");
        h.Drain();

        h.Advance(10);

        Assert.Equal("c2", h.SingleOffer().CallId);
    }

    [Fact]
    public void SetReady_DuringWrapUp_EndsWrapUpEarly()
    {
        using var h = Connected(wrapUp: 30);
        h.Engine.CallEnded("c1");
        h.Advance(2);

        Assert.Equal(AcdResult.Ok, h.Engine.SetReady("op1"));
        h.Advance(40);

        var changes = h.Drain<OperatorStateChanged>();
        Assert.Equal([AcdOperatorState.WrapUp, AcdOperatorState.Available], changes.Select(c => c.New));
        Assert.Equal(AcdReasons.Ready, changes[1].Reason);
    }

    [Fact]
    public void CallEnded_ZeroWrapUp_AvailableAtOnce()
    {
        using var h = Connected(wrapUp: 0);

        h.Engine.CallEnded("c1");

        var change = Assert.Single(h.Drain<OperatorStateChanged>());
        Assert.Equal((AcdOperatorState.OnCall, AcdOperatorState.Available), (change.Old, change.New));
    }

    [Fact]
    public void SetNotReady_OnCall_PausesAfterWrapUp()
    {
        using var h = Connected(wrapUp: 10);

        Assert.Equal(AcdResult.Ok, h.Engine.SetNotReady("op1", "break"));
        Assert.Equal(AcdOperatorState.OnCall, h.Engine.GetOperator("op1")!.State);
        h.Engine.CallEnded("c1");
        h.Advance(10);

        var snapshot = h.Engine.GetOperator("op1")!;
        Assert.Equal((AcdOperatorState.NotReady, "break"), (snapshot.State, snapshot.Reason));
    }

    [Fact]
    public void SetReady_OnCallAfterNotReadyRequest_WithdrawsPause()
    {
        using var h = Connected(wrapUp: 10);
        h.Engine.SetNotReady("op1", "break");

        h.Engine.SetReady("op1");
        h.Engine.CallEnded("c1");
        h.Advance(10);

        Assert.Equal(AcdOperatorState.Available, h.Engine.GetOperator("op1")!.State);
    }

    [Fact]
    public void CallEnded_Twice_SecondReturnsUnknownCall()
    {
        using var h = Connected(wrapUp: 10);
        h.Engine.CallEnded("c1");

        Assert.Equal(AcdResult.UnknownCall, h.Engine.CallEnded("c1"));
        Assert.Equal(AcdResult.UnknownCall, h.Engine.CallerLeft("c1"));
    }
}
