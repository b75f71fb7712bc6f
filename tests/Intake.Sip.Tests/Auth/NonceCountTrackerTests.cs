using Intake.Sip.Auth;

namespace Intake.Sip.Tests.Auth;

public sealed class NonceCountTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    [Fact]
    public void TryAdvance_IncreasingCounts_Accepted()
    {
        var tracker = new NonceCountTracker(10, Lifetime);

        Assert.True(tracker.TryAdvance("n", T0, 1, T0));
        Assert.True(tracker.TryAdvance("n", T0, 2, T0));
        Assert.True(tracker.TryAdvance("n", T0, 7, T0));
    }

    [Fact]
    public void TryAdvance_SameOrLowerCount_Refused()
    {
        var tracker = new NonceCountTracker(10, Lifetime);
        tracker.TryAdvance("n", T0, 5, T0);

        Assert.False(tracker.TryAdvance("n", T0, 5, T0));
        Assert.False(tracker.TryAdvance("n", T0, 4, T0));
    }

    [Fact]
    public void TryAdvance_AfterNonceLifetime_EntryDropped()
    {
        var tracker = new NonceCountTracker(10, Lifetime);
        tracker.TryAdvance("old", T0, 1, T0);

        tracker.TryAdvance("new", T0 + Lifetime, 1, T0 + Lifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(1, tracker.Count);
    }

    [Fact]
    public void TryAdvance_CapacityReached_EvictsOldestAndRefusesItsHistory()
    {
        var tracker = new NonceCountTracker(2, Lifetime);
        tracker.TryAdvance("a", T0, 1, T0);
        tracker.TryAdvance("b", T0.AddSeconds(1), 1, T0.AddSeconds(1));

        Assert.True(tracker.TryAdvance("c", T0.AddSeconds(2), 1, T0.AddSeconds(2)));

        Assert.Equal(2, tracker.Count);
        Assert.False(tracker.TryAdvance("a", T0, 2, T0.AddSeconds(3)));
        Assert.False(tracker.TryAdvance("a", T0, 1, T0.AddSeconds(3)));
    }

    [Fact]
    public void TryAdvance_ManyNonces_MemoryStaysBounded()
    {
        var tracker = new NonceCountTracker(100, Lifetime);

        for (var i = 0; i < 10_000; i++)
        {
            var issued = T0.AddMilliseconds(i);
            tracker.TryAdvance("n" + i, issued, 1, issued);
        }

        Assert.Equal(100, tracker.Count);
    }
}
