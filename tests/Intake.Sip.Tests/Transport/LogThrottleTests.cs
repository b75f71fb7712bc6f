using Intake.Sip.Transport;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Transport;

public sealed class LogThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void TryEnter_FirstOccurrence_LoggedAsOne()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), _time);

        Assert.True(throttle.TryEnter(out var occurrences));
        Assert.Equal(1, occurrences);
    }

    [Fact]
    public void TryEnter_RepeatedWithinInterval_HeldBackThenCountedInNextLine()
    {
        var throttle = new LogThrottle(TimeSpan.FromSeconds(10), _time);
        throttle.TryEnter(out _);

        var heldBack = 0;
        for (var i = 0; i < 500; i++)
        {
            if (!throttle.TryEnter(out _))
            {
                heldBack++;
            }
        }

        _time.Advance(TimeSpan.FromSeconds(9.9));
        var beforeInterval = throttle.TryEnter(out _);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        var afterInterval = throttle.TryEnter(out var occurrences);

        Assert.Equal(500, heldBack);
        Assert.False(beforeInterval);
        Assert.True(afterInterval);
        Assert.Equal(502, occurrences);
    }

    [Fact]
    public void Constructor_ZeroInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogThrottle(TimeSpan.Zero, _time));
    }
}
