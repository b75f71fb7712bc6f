using System.Net;
using Intake.Media.Codecs;
using Intake.Media.Rtp;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Media.Tests.Rtp;

public sealed class RtpSessionRtcpTests
{
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static RtpSession Open(RtpPortPool pool, MediaClock clock, IPAddress address)
    {
        Assert.True(RtpSession.TryOpen(pool, address, clock, null, null, out var session));
        return session!;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task Reports_TwoSessionsExchangeMediaAndRtcp_QualityIncludesRoundTripAndPeerView(string address)
    {
        var ip = IPAddress.Parse(address);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        using var clock = new MediaClock(time);
        var pool = new RtpPortPool(44000, 44999);
        await using var a = Open(pool, clock, ip);
        await using var b = Open(pool, clock, ip);
        a.SetRemote(new IPEndPoint(ip, b.LocalPort));
        b.SetRemote(new IPEndPoint(ip, a.LocalPort));
        a.SetPayloadFormat(AudioEncoding.Pcmu, 0, null, null);
        b.SetPayloadFormat(AudioEncoding.Pcmu, 0, null, null);
        a.Start();
        b.Start();
        var ownerA = new object();
        var ownerB = new object();
        a.Outbound.SwitchOwner(ownerA);
        b.Outbound.SwitchOwner(ownerB);

        for (var i = 0; i < 10; i++)
        {
            a.Outbound.SendFrame(ownerA, new byte[160], 160);
            b.Outbound.SendFrame(ownerB, new byte[160], 160);
        }

        await WaitUntilAsync(() => a.GetQualitySnapshot().PacketsReceived == 10 && b.GetQualitySnapshot().PacketsReceived == 10);

        // Reports go out every 2.5-7.5 s; step the shared clock and let the datagrams land.
        for (var second = 0; second < 20 && (a.GetQualitySnapshot().RoundTripMilliseconds is null || b.GetQualitySnapshot().RoundTripMilliseconds is null); second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));

            // No fake time may pass while a report is in flight, or it would count as round trip.
            await WaitUntilAsync(() => a.RtcpPacketsReceived == b.RtcpPacketsSent && b.RtcpPacketsReceived == a.RtcpPacketsSent);
        }

        var qa = a.GetQualitySnapshot();
        var qb = b.GetQualitySnapshot();
        Assert.NotNull(qa.RoundTripMilliseconds);
        Assert.NotNull(qb.RoundTripMilliseconds);
        Assert.InRange(qa.RoundTripMilliseconds!.Value, 0, 1);
        Assert.Equal(0, qa.RemoteLossPercent);
        Assert.Equal(0, qb.PacketsLost);
        Assert.True(a.RtcpPacketsSent > 0 && b.RtcpPacketsReceived > 0);
    }
}
