using Intake.Acd.Configuration;
using Intake.Acd.Decisions;
using Intake.Acd.Distribution;
using Intake.Acd.Operators;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Distribution;

public sealed class DistributionStrategyTests
{
    private static DistributionCandidate Candidate(string name, int position, int skill = 1, int idleSeconds = 0) =>
        new(name, skill, AcdHarness.Start.AddSeconds(-idleSeconds), position);

    [Fact]
    public void LongestIdle_OfferAlreadyOut_SelectsNobody()
    {
        var request = new DistributionRequest("c1", "q", 1, [Candidate("a", 0)]);

        Assert.Empty(new LongestIdleStrategy().SelectOperators(request));
    }

    [Fact]
    public void LongestIdle_EqualIdleTimes_FallsBackToConfiguredOrder()
    {
        var request = new DistributionRequest("c1", "q", 0, [Candidate("a", 0, idleSeconds: 5), Candidate("b", 1, idleSeconds: 5)]);

        Assert.Equal(["a"], new LongestIdleStrategy().SelectOperators(request));
    }

    [Fact]
    public void RoundRobin_Repeated_CyclesThroughPositionsSkippingUnavailable()
    {
        var strategy = new RoundRobinStrategy();
        var all = new[] { Candidate("a", 0), Candidate("b", 1), Candidate("c", 2) };

        var picks = new List<string>
        {
            strategy.SelectOperators(new DistributionRequest("1", "q", 0, all))[0],
            strategy.SelectOperators(new DistributionRequest("2", "q", 0, all))[0],
            strategy.SelectOperators(new DistributionRequest("3", "q", 0, [all[0], all[2]]))[0],
            strategy.SelectOperators(new DistributionRequest("4", "q", 0, all))[0],
            strategy.SelectOperators(new DistributionRequest("5", "q", 0, [all[1]]))[0],
            strategy.SelectOperators(new DistributionRequest("6", "q", 0, all))[0],
        };

        Assert.Equal(["a", "b", "c", "a", "b", "c"], picks);
    }

    [Fact]
    public void RoundRobin_Engine_OffersOperatorsInTurnRegardlessOfIdleTime()
    {
        var queue = TestOptions.Queue("police", strategy: DistributionStrategyKind.RoundRobin, wrapUp: 0);
        using var h = new AcdHarness(TestOptions.SingleQueue(queue, "op1", "op2", "op3"));
        h.RegisterAll("op3", "op2", "op1");
        h.Drain();

        var offered = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            h.Advance(1);
            h.Engine.CallArrived($"c{i}", "police-number", null);
            var offer = h.SingleOffer();
            offered.Add(offer.Operators[0]);
            h.Engine.CallAnswered(offer.CallId, offer.Operators[0]);
            h.Engine.CallEnded(offer.CallId);
        }

        Assert.Equal(["op1", "op2", "op3", "op1", "op2"], offered);
    }

    [Fact]
    public void RingAll_CallArrives_OffersEveryAvailableMemberInOneDecision()
    {
        var queue = TestOptions.Queue("police", strategy: DistributionStrategyKind.RingAll);
        using var h = new AcdHarness(TestOptions.SingleQueue(queue, "op1", "op2", "op3"));
        h.RegisterAll("op1", "op2", "op3");
        h.Engine.SetNotReady("op2", "lunch");
        h.Drain();

        h.Engine.CallArrived("c1", "police-number", null);

        Assert.Equal(["op1", "op3"], h.SingleOffer().Operators);
    }

    [Fact]
    public void RingAll_OneAnswers_OthersCancelledAndAvailableAgain()
    {
        var queue = TestOptions.Queue("police", strategy: DistributionStrategyKind.RingAll);
        using var h = new AcdHarness(TestOptions.SingleQueue(queue, "op1", "op2", "op3"));
        h.RegisterAll("op1", "op2", "op3");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Drain();
        h.Advance(3);

        Assert.Equal(AcdResult.Ok, h.Engine.CallAnswered("c1", "op2"));
        Assert.Equal(AcdResult.NotOffered, h.Engine.CallAnswered("c1", "op3"));

        var decisions = h.Drain();
        Assert.Equal(TimeSpan.FromSeconds(3), Assert.Single(decisions.OfType<CallConnected>()).Wait);
        var cancels = decisions.OfType<CancelOffer>().ToList();
        Assert.Equal(["op1", "op3"], cancels.Select(c => c.Operator));
        Assert.All(cancels, c => Assert.Equal(OfferCancelReason.AnsweredElsewhere, c.Reason));
        Assert.Equal(AcdOperatorState.OnCall, h.Engine.GetOperator("op2")!.State);
        Assert.Equal(AcdOperatorState.Available, h.Engine.GetOperator("op1")!.State);
        Assert.Equal(AcdHarness.Start, h.Engine.GetOperator("op1")!.IdleSince);
    }

    [Fact]
    public void RingAll_OperatorBecomesReadyWhileRinging_JoinsTheRingingCall()
    {
        var queue = TestOptions.Queue("police", strategy: DistributionStrategyKind.RingAll);
        using var h = new AcdHarness(TestOptions.SingleQueue(queue, "op1", "op2"));
        h.RegisterAll("op1", "op2");
        h.Engine.SetNotReady("op2", "coffee");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Drain();

        h.Engine.SetReady("op2");

        var offer = h.SingleOffer();
        Assert.Equal(("c1", "op2"), (offer.CallId, Assert.Single(offer.Operators)));
    }

    [Fact]
    public void RingAll_SecondCallWhileAllRinging_WaitsForFirstAnswer()
    {
        var queue = TestOptions.Queue("police", strategy: DistributionStrategyKind.RingAll);
        using var h = new AcdHarness(TestOptions.SingleQueue(queue, "op1", "op2"));
        h.RegisterAll("op1", "op2");
        h.Engine.CallArrived("c1", "police-number", null);
        h.Engine.CallArrived("c2", "police-number", null);
        Assert.Equal("c1", h.SingleOffer().CallId);

        h.Engine.CallAnswered("c1", "op1");

        var offer = h.SingleOffer();
        Assert.Equal(("c2", "op2"), (offer.CallId, Assert.Single(offer.Operators)));
    }

    [Fact]
    public void CustomStrategy_ReturnsUnknownAndDuplicateNames_EngineOffersOnlyValidOnce()
    {
        var options = TestOptions.SingleQueue(TestOptions.Queue("police"), "op1", "op2");
        using var h = new AcdHarness(options, _ => new FixedStrategy(["ghost", "op2", "op2"]));
        h.RegisterAll("op1", "op2");

        h.Engine.CallArrived("c1", "police-number", null);

        Assert.Equal(["op2"], h.SingleOffer().Operators);
        Assert.Empty(h.Engine.CheckInvariants());
    }

    private sealed class FixedStrategy(IReadOnlyList<string> names) : IDistributionStrategy
    {
        public IReadOnlyList<string> SelectOperators(DistributionRequest request) => request.ActiveOffers == 0 ? names : [];
    }
}
