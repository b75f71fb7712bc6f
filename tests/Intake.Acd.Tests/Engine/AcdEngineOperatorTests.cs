using Intake.Acd.Decisions;
using Intake.Acd.Operators;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Engine;

public sealed class AcdEngineOperatorTests
{
    private static AcdHarness TwoOperators(bool availableOnRegister = true) => new(
        TestOptions.SingleQueue(TestOptions.Queue("police"), "op1", "op2") with { AvailableOnRegister = availableOnRegister });

    [Fact]
    public void OperatorRegistered_Default_BecomesAvailable()
    {
        using var h = TwoOperators();

        Assert.Equal(AcdResult.Ok, h.Engine.OperatorRegistered("op1"));

        var change = Assert.IsType<OperatorStateChanged>(Assert.Single(h.Drain()));
        Assert.Equal((AcdOperatorState.LoggedOut, AcdOperatorState.Available, AcdReasons.Registered), (change.Old, change.New, change.Reason));
        Assert.Equal(1, change.Sequence);
    }

    [Fact]
    public void OperatorRegistered_AvailableOnRegisterFalse_BecomesNotReady()
    {
        using var h = TwoOperators(availableOnRegister: false);

        h.Engine.OperatorRegistered("op1");

        Assert.Equal(AcdOperatorState.NotReady, h.Engine.GetOperator("op1")!.State);
    }

    [Fact]
    public void OperatorRegistered_Refresh_EmitsNothing()
    {
        using var h = TwoOperators();
        h.Engine.OperatorRegistered("op1");
        h.Drain();

        h.Engine.OperatorRegistered("op1");

        Assert.Empty(h.Drain());
    }

    [Fact]
    public void OperatorInputs_UnknownOrEmptyUsername_ReturnErrorResults()
    {
        using var h = TwoOperators();

        Assert.Equal(AcdResult.UnknownOperator, h.Engine.OperatorRegistered("ghost"));
        Assert.Equal(AcdResult.InvalidArgument, h.Engine.SetReady(""));
        Assert.Equal(AcdResult.NotLoggedIn, h.Engine.SetReady("op1"));
        Assert.Equal(AcdResult.NotLoggedIn, h.Engine.SetNotReady("op1", "lunch"));
        Assert.Empty(h.Drain());
    }

    [Fact]
    public void OperatorUnregistered_WhileRinging_CancelsAndOffersNext()
    {
        using var h = TwoOperators();
        h.RegisterAll("op1");
        h.Advance(1);
        h.RegisterAll("op2");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Drain();

        h.Engine.OperatorUnregistered("op1");

        var decisions = h.Drain();
        Assert.Equal(OfferCancelReason.OperatorUnavailable, Assert.IsType<CancelOffer>(decisions[0]).Reason);
        Assert.Equal(AcdOperatorState.LoggedOut, Assert.IsType<OperatorStateChanged>(decisions[1]).New);
        Assert.Equal(["op2"], Assert.Single(decisions.OfType<OfferCall>()).Operators);
    }

    [Fact]
    public void OperatorUnregistered_OnCall_LoggedOutOnlyAfterCallWithoutWrapUp()
    {
        using var h = TwoOperators();
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallAnswered("c1", "op1");
        h.Drain();

        h.Engine.OperatorUnreachable("op1");
        Assert.Equal(AcdOperatorState.OnCall, h.Engine.GetOperator("op1")!.State);
        h.Engine.CallEnded("c1");

        var change = Assert.Single(h.Drain<OperatorStateChanged>());
        Assert.Equal((AcdOperatorState.OnCall, AcdOperatorState.LoggedOut, AcdReasons.Unreachable), (change.Old, change.New, change.Reason));
    }

    [Fact]
    public void OperatorRegistered_AgainWhileOnCallPendingLogout_StaysLoggedIn()
    {
        using var h = TwoOperators();
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallAnswered("c1", "op1");
        h.Engine.OperatorUnregistered("op1");

        h.Engine.OperatorRegistered("op1");
        h.Engine.CallEnded("c1");

        Assert.Equal(AcdOperatorState.WrapUp, h.Engine.GetOperator("op1")!.State);
    }

    [Fact]
    public void SetNotReady_WhileRinging_CancelsOfferAndPauses()
    {
        using var h = TwoOperators();
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Drain();

        h.Engine.SetNotReady("op1", "phone");

        var decisions = h.Drain();
        Assert.Equal(new CancelOffer("c1", "op1", OfferCancelReason.OperatorUnavailable), decisions[0] with { Sequence = 0, Timestamp = default });
        var snapshot = h.Engine.GetOperator("op1")!;
        Assert.Equal((AcdOperatorState.NotReady, "phone", null), (snapshot.State, snapshot.Reason, snapshot.OfferedCallId));
        Assert.Equal(1, h.Engine.GetQueuePosition("c1"));
    }

    [Fact]
    public void SetNotReady_NewReason_ReportsReasonChange()
    {
        using var h = TwoOperators();
        h.RegisterAll("op1");
        h.Engine.SetNotReady("op1", "break");
        h.Drain();

        h.Engine.SetNotReady("op1", "training");
        h.Engine.SetNotReady("op1", "training");

        var change = Assert.Single(h.Drain<OperatorStateChanged>());
        Assert.Equal((AcdOperatorState.NotReady, AcdOperatorState.NotReady, "training"), (change.Old, change.New, change.Reason));
    }

    [Fact]
    public void SetReady_AfterAutoPause_IdleCountsFromReady()
    {
        using var h = TwoOperators();
        h.RegisterAll("op1");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Advance(15);
        h.Engine.CallerLeft("c1");
        h.Advance(5);

        h.Engine.SetReady("op1");

        var snapshot = h.Engine.GetOperator("op1")!;
        Assert.Equal((AcdOperatorState.Available, AcdHarness.Start.AddSeconds(20)), (snapshot.State, snapshot.IdleSince));
        Assert.Equal(["police"], snapshot.Queues);
    }

    [Fact]
    public void Dispose_Twice_CompletesDecisionStream()
    {
        var h = TwoOperators();
        h.Dispose();
        h.Dispose();

        Assert.True(h.Engine.Decisions.Completion.IsCompleted);
    }
}
