using CsCheck;
using Intake.Acd.Decisions;
using Intake.Acd.Tests.Support;

namespace Intake.Acd.Tests.Engine;

public sealed class AcdEngineConcurrencyTests
{
    private const int Threads = 4;
    private const int OperationsPerThread = 3000;

    [Fact]
    public void RandomOperations_FourThreadsWithClock_KeepEveryInvariant()
    {
        using var h = new AcdHarness(RandomOperations.Options());
        var driver = new RandomOperations(h.Engine);
        var engineProblems = new List<string>();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(1000 + t);
            start.SignalAndWait();
            for (var i = 0; i < OperationsPerThread; i++)
            {
                driver.Apply(random.Next(RandomOperations.OperationKinds), random.Next(100), random.Next(100));

                // One thread owns the clock, so timers fire on it while the others keep calling in.
                if (t == 0 && i % 5 == 0)
                {
                    h.Time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 2500)));
                }

                if (i % 250 == 0)
                {
                    var problems = h.Engine.CheckInvariants();
                    lock (engineProblems)
                    {
                        engineProblems.AddRange(problems);
                    }
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        Assert.All(workers, w => Assert.True(w.Join(TimeSpan.FromMinutes(2))));

        var checker = new DecisionStreamChecker();
        checker.Apply(h.Drain());
        Assert.Empty(engineProblems);
        Assert.Empty(checker.Violations);
        checker.CheckQuiescent();
        var stats = h.Engine.GetStatistics();
        Assert.Equal(checker.Waiting, stats.Sum(s => s.Waiting));
        Assert.All(stats, s => Assert.Equal(s.Offered, s.Answered + s.Abandoned + s.Overflowed + s.Waiting));

        // The workload must actually exercise every path, or the invariants above prove little.
        var mix = $"offers {checker.OfferCount}, answered {stats.Sum(s => s.Answered)}, abandoned {stats.Sum(s => s.Abandoned)}, "
            + $"overflowed {stats.Sum(s => s.Overflowed)}, ring timeouts {h.Log.OfType<CancelOffer>().Count(c => c.Reason == OfferCancelReason.RingTimeout)}";
        Assert.True(checker.OfferCount > 500, mix);
        Assert.True(stats.Sum(s => s.Answered) > 200, mix);
        Assert.True(stats.Sum(s => s.Abandoned) > 50, mix);
        Assert.True(stats.Sum(s => s.Overflowed) > 50, mix);
        Assert.True(h.Log.OfType<CancelOffer>().Count(c => c.Reason == OfferCancelReason.RingTimeout) > 20, mix);
        Assert.Contains(h.Log, d => d is CancelOffer { Reason: OfferCancelReason.AnsweredElsewhere });

        driver.EndAll();
        checker.Apply(h.Drain());

        Assert.Empty(checker.Violations);
        Assert.Equal(0, checker.Waiting + checker.Connected);
        Assert.All(driver.Accepted, id => Assert.Equal(1, checker.TerminalCounts.GetValueOrDefault(id)));
        Assert.Equal(driver.Accepted.Count, checker.TerminalCounts.Count);
        var completed = h.Log.OfType<CallCompleted>().Count();
        Assert.Equal(completed, h.Engine.GetStatistics().Sum(s => s.Answered));
        Assert.Empty(h.Engine.CheckInvariants());
    }

    [Fact]
    public void RandomOperationSequences_AnyOrder_KeepEveryInvariant()
    {
        var operation = Gen.Select(Gen.Int[0, RandomOperations.OperationKinds - 1], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 3000]);

        operation.Array[1, 150].Sample(
            operations =>
            {
                using var h = new AcdHarness(RandomOperations.Options());
                var driver = new RandomOperations(h.Engine);
                var checker = new DecisionStreamChecker();
                foreach (var (kind, a, b, advanceMs) in operations)
                {
                    driver.Apply(kind, a, b);
                    h.Time.Advance(TimeSpan.FromMilliseconds(advanceMs));
                    if (h.Engine.CheckInvariants().Count > 0)
                    {
                        return false;
                    }
                }

                checker.Apply(h.Drain());
                checker.CheckQuiescent();
                driver.EndAll();
                checker.Apply(h.Drain());
                return checker.Violations.Count == 0
                    && checker.Waiting + checker.Connected == 0
                    && driver.Accepted.All(id => checker.TerminalCounts.GetValueOrDefault(id) == 1);
            },
            iter: 300,
            seed: null);
    }
}
