using Intake.Media.Codecs;
using Intake.Media.Prompts;
using Intake.Media.Rtp;
using Intake.Media.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Media.Tests.Prompts;

public sealed class PromptPlayerTests
{
    private static Prompt Tone(string name, int frames) =>
        Prompt.FromSamples(name, [.. Enumerable.Range(0, frames * 160).Select(i => (short)(6000 * Math.Sin(i * 2 * Math.PI / 16)))]);

    private static void AdvanceFrames(FakeTimeProvider time, int frames)
    {
        for (var i = 0; i < frames; i++)
        {
            time.Advance(MediaClock.FrameDuration);
        }
    }

    [Fact]
    public void Play_OneSecond_Sends50PacketsWithMarkerOnFirstAndContinuousNumbers()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        var wire = new CapturingTransmitter();
        var stream = new RtpOutboundStream(wire, time, 42, 65500, uint.MaxValue - 1000);
        using var player = new PromptPlayer(stream, clock);

        player.Play(PromptPlaylist.Once(Tone("a", 30), Tone("b", 30)));
        AdvanceFrames(time, 50);

        Assert.Equal(50, wire.Packets.Count);
        Assert.True(wire.Packets[0].Header.Marker);
        Assert.All(wire.Packets.Skip(1), p => Assert.False(p.Header.Marker));
        for (var i = 1; i < wire.Packets.Count; i++)
        {
            Assert.Equal((ushort)(wire.Packets[i - 1].Header.SequenceNumber + 1), wire.Packets[i].Header.SequenceNumber);
            Assert.Equal(wire.Packets[i - 1].Header.Timestamp + 160, wire.Packets[i].Header.Timestamp);
            Assert.Equal(160, wire.Packets[i].Payload.Length);
            Assert.Equal(42u, wire.Packets[i].Header.Ssrc);
        }

        Assert.Equal((ushort)65500, wire.Packets[0].Header.SequenceNumber);
    }

    [Fact]
    public void Play_ListThenEnd_RaisesCompletedAndStopsSending()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        var wire = new CapturingTransmitter();
        var stream = new RtpOutboundStream(wire, time, 1, 0, 0);
        using var player = new PromptPlayer(stream, clock);
        var completed = 0;
        player.Completed += (_, _) => completed++;

        player.Play(PromptPlaylist.Once(Tone("a", 3), Tone("b", 4)));
        AdvanceFrames(time, 20);

        Assert.Equal(7, wire.Packets.Count);
        Assert.Equal(1, completed);
        Assert.False(player.IsPlaying);
    }

    [Fact]
    public void Play_GreetingThenReminder_RepeatsOnPeriodWithSilenceBetween()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        var wire = new CapturingTransmitter();
        var stream = new RtpOutboundStream(wire, time, 1, 0, 0);
        using var player = new PromptPlayer(stream, clock);
        var greeting = Tone("greeting", 10);
        var reminder = Tone("reminder", 5);

        player.Play(PromptPlaylist.GreetingThenReminder(greeting, reminder, TimeSpan.FromSeconds(1)));
        AdvanceFrames(time, 10 + 50 + 50);

        var silence = G711.SilenceByte(AudioEncoding.Pcmu);
        var starts = new List<int>();
        for (var i = 1; i < wire.Packets.Count; i++)
        {
            if (wire.Packets[i - 1].Payload.All(b => b == silence) && wire.Packets[i].Payload.Any(b => b != silence))
            {
                starts.Add(i);
            }
        }

        Assert.Equal(110, wire.Packets.Count);
        Assert.Equal([55, 105], starts);
        Assert.True(player.IsPlaying);
    }

    [Fact]
    public void SwitchToRelay_AfterPrompt_ContinuesSequenceAndTimestampWithMarker()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        var wire = new CapturingTransmitter();
        var stream = new RtpOutboundStream(wire, time, 9, 100, 5000);
        using var player = new PromptPlayer(stream, clock);
        var relay = new object();
        player.Play(PromptPlaylist.Loop(Tone("hold", 10), TimeSpan.FromSeconds(2)));
        AdvanceFrames(time, 5);

        stream.SwitchOwner(relay);
        AdvanceFrames(time, 2);
        var source = new RtpHeader(false, 0, 40000, 777_000, 0xABC);
        stream.SendRelayed(relay, source, new byte[160], 0, PayloadTransform.Copy, isAudio: true);
        stream.SendRelayed(relay, new RtpHeader(false, 0, 40001, 777_160, 0xABC), new byte[160], 0, PayloadTransform.Copy, isAudio: true);
        AdvanceFrames(time, 3);

        Assert.Equal(7, wire.Packets.Count);
        var lastPrompt = wire.Packets[4].Header;
        var firstRelayed = wire.Packets[5].Header;
        Assert.Equal((ushort)(lastPrompt.SequenceNumber + 1), firstRelayed.SequenceNumber);
        Assert.Equal(lastPrompt.Timestamp + 320, firstRelayed.Timestamp);
        Assert.True(firstRelayed.Marker);
        Assert.Equal(firstRelayed.Timestamp + 160, wire.Packets[6].Header.Timestamp);
        Assert.False(player.IsPlaying);
    }

    [Fact]
    public void MediaClock_ThousandPlayers_OneTimerDrivesAll()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        var wire = new CapturingTransmitter();
        var prompt = Tone("x", 100);
        var players = Enumerable.Range(0, 1000).Select(i => new PromptPlayer(new RtpOutboundStream(wire, time, (uint)i + 1, 0, 0), clock)).ToList();
        foreach (var p in players)
        {
            p.Play(PromptPlaylist.Once(prompt));
        }

        AdvanceFrames(time, 5);

        Assert.Equal(5000, wire.Packets.Count);
        Assert.Equal(0, clock.ClientErrors);
        players.ForEach(p => p.Dispose());
    }

    [Fact]
    public void MediaClock_LateCallback_CatchesUpMissedFrames()
    {
        var time = new FakeTimeProvider();
        using var clock = new MediaClock(time);
        var wire = new CapturingTransmitter();
        using var player = new PromptPlayer(new RtpOutboundStream(wire, time, 1, 0, 0), clock);
        player.Play(PromptPlaylist.Once(Tone("x", 100)));

        time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(5, wire.Packets.Count);
    }
}
