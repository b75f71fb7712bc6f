using Intake.Server.Events;
using Intake.Server.Operations;
using Intake.Server.Tests.Storage;

namespace Intake.Server.Tests.Operations;

public sealed class MetricsGaugeSourcesTests
{
    [Fact]
    public void WatchLag_StreamsBehindTheLog_EventsNotTakenYetPerStream()
    {
        var hub = new EventHub();
        using var behind = hub.Subscribe(100, "watch ipv4:127.0.0.1:1111", isWatchStream: true);
        using var current = hub.Subscribe(100, "watch ipv4:127.0.0.1:2222", isWatchStream: true);
        using var dispatch = hub.Subscribe(100);
        using var namedLikeOne = hub.Subscribe(100, "watch of something in-process");
        for (ulong i = 1; i <= 7; i++)
        {
            var evt = TestEvents.Dtmf("c1", (int)i);
            evt.Sequence = i;
            hub.Publish(new CallEventRecord(evt, "police"));
        }

        behind.Position = 3;
        current.Position = 7;

        var lag = MetricsGaugeSources.WatchLag(hub).ToDictionary(r => r.Name, r => r.LagEvents);

        // In-process readers (whatever their name) are not consumers here; dispatch sinks have a gauge of their own.
        Assert.Equal(2, lag.Count);
        Assert.Equal(4, lag["watch ipv4:127.0.0.1:1111"]);
        Assert.Equal(0, lag["watch ipv4:127.0.0.1:2222"]);
    }

    [Fact]
    public void WatchLag_StreamEnded_NoLongerReported()
    {
        var hub = new EventHub();
        var stream = hub.Subscribe(10, "watch ipv4:127.0.0.1:3333", isWatchStream: true);

        stream.Dispose();

        Assert.Empty(MetricsGaugeSources.WatchLag(hub));
    }
}
