using Intake.Media.Rtp;

namespace Intake.Media.Tests.Rtp;

public sealed class RtpPortPoolTests
{
    [Fact]
    public void TryAcquire_OddRange_HandsOutEvenPortsWithRoomForRtcp()
    {
        var pool = new RtpPortPool(20001, 20008);
        var ports = new List<int>();
        while (pool.TryAcquire(out var port))
        {
            ports.Add(port);
        }

        Assert.Equal([20002, 20004, 20006], ports);
        Assert.Equal(3, pool.LeasedCount);
    }

    [Fact]
    public void Release_ThenAcquire_PrefersLeastRecentlyReleased()
    {
        var pool = new RtpPortPool(20000, 20005);
        pool.TryAcquire(out var a);
        pool.TryAcquire(out var b);
        pool.TryAcquire(out var c);

        pool.Release(b);
        pool.Release(a);
        pool.Release(c);

        Assert.True(pool.TryAcquire(out var first));
        Assert.True(pool.TryAcquire(out var second));
        Assert.Equal(b, first);
        Assert.Equal(a, second);
    }

    [Fact]
    public void Release_TwiceOrUnknown_DoesNotDuplicate()
    {
        var pool = new RtpPortPool(20000, 20001);
        pool.TryAcquire(out var port);
        pool.Release(port);
        pool.Release(port);
        pool.Release(30000);

        Assert.True(pool.TryAcquire(out _));
        Assert.False(pool.TryAcquire(out _));
    }

    [Fact]
    public void Constructor_RangeWithoutPair_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RtpPortPool(20001, 20002));
    }
}
