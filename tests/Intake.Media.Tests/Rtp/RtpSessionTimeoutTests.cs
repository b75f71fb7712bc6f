using System.Net;
using Intake.Media.Rtp;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Media.Tests.Rtp;

public sealed class RtpSessionTimeoutTests
{
    [Fact]
    public async Task InactivityTimeout_NoPacketsFor30Seconds_RaisedOnce()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        Assert.True(RtpSession.TryOpen(new RtpPortPool(46000, 46999), IPAddress.Loopback, clock, new RtpSessionOptions { InactivitySeconds = 30 }, null, out var session));
        await using var leg = session!;
        var raised = 0;
        leg.InactivityTimeout += (_, _) => raised++;
        leg.Start();

        for (var i = 0; i < 29; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, raised);
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, raised);
    }

    [Fact]
    public async Task InactivityTimeout_PeerOnHold_NotRaised()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        Assert.True(RtpSession.TryOpen(new RtpPortPool(46000, 46999), IPAddress.Loopback, clock, null, null, out var session));
        await using var leg = session!;
        var raised = 0;
        leg.InactivityTimeout += (_, _) => raised++;
        leg.ExpectInboundMedia = false;
        leg.Start();

        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(0, raised);
    }

    [Fact]
    public async Task TryOpen_PoolExhausted_ReturnsFalse()
    {
        using var clock = new MediaClock(TimeProvider.System);
        var pool = new RtpPortPool(45000, 45001);
        Assert.True(RtpSession.TryOpen(pool, IPAddress.Loopback, clock, null, null, out var first));

        Assert.False(RtpSession.TryOpen(pool, IPAddress.Loopback, clock, null, null, out var second));
        Assert.Null(second);
        await first!.DisposeAsync();
        Assert.Equal(0, pool.LeasedCount);
    }
}
