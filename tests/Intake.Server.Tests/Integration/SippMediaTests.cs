using Xunit.Abstractions;

namespace Intake.Server.Tests.Integration;

/// <summary>Answered calls carry real media: SIPp callers against the real server, checked on the wire and in the recording.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SippMediaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PcapCall_RecordingLeftChannelMatchesSentAudio_LengthMatchesCall_RightHasGreeting()
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var run = await Sipp.RunAsync("uac_pcap.xml", MediaCalls.CallerArgs(holdMs: 8000), MediaCalls.Target(server), MediaCalls.SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        var recording = StereoRecording.Read(await MediaCalls.CompletedRecordingAsync(server, TimeSpan.FromSeconds(10)));
        var sent = PcapRtp.DecodeALaw(PcapRtp.Read(MediaCalls.AlawCapture));
        var onset = AudioMatch.Onset(recording.Left);
        Assert.True(onset >= 0, "the caller channel is silent\n" + server.Output);
        var (correlation, lag) = AudioMatch.BestCorrelation(sent, recording.Left, onset - 800, onset + 800);
        var callLength = MediaCalls.AnsweredLength(run);
        var lengthError = recording.Duration - callLength;
        var greetingRms = AudioMatch.Rms(recording.Right.AsSpan(0, Math.Min(recording.Right.Length, 3 * recording.SampleRate)));
        output.WriteLine($"correlation {correlation:F4} at lag {lag} samples; recording {recording.Duration.TotalMilliseconds:F0} ms, " +
            $"call {callLength.TotalMilliseconds:F0} ms (error {lengthError.TotalMilliseconds:F0} ms); greeting RMS {greetingRms:F0}");

        Assert.True(correlation >= 0.9, $"correlation {correlation:F3} at lag {lag}");
        Assert.True(Math.Abs(lengthError.TotalMilliseconds) <= 100, $"recording {recording.Duration} vs call {callLength}");
        Assert.True(greetingRms > 300, $"right channel RMS {greetingRms:F0}: no greeting recorded");
    }

    [Fact]
    public async Task AnsweredCall_GreetingArrivesAs50PacketsPerSecond_ContinuousSequenceAndTimestamps()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        await using var capture = await LoopbackCapture.StartAsync(TimeSpan.FromSeconds(10));

        var run = await Sipp.RunAsync("uac_rtp_listen.xml", [.. MediaCalls.CallerArgs(holdMs: 4000), "-key", "rtp_port", capture.Port.ToString()], MediaCalls.Target(server), MediaCalls.SippTimeout);
        var packets = await capture.StopAsync(TimeSpan.FromSeconds(10));

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        Assert.NotEmpty(packets);
        // The 2 s window starts 1 s into the stream: the first frames of a fresh server may be late (code compiled on
        // first use) and then sent at once by the media clock's catch-up, which is right for the RTP clock but not a rate.
        // The rate is taken over the whole steady stream (from 1 s in to the last packet) rather than a fixed window, so a
        // late tick on a loaded machine, caught up by a short burst, shifts packets in time without changing the rate.
        var steady = packets.Where(p => p.CapturedAt >= packets[0].CapturedAt + TimeSpan.FromSeconds(1)).ToList();
        var span = (steady[^1].CapturedAt - steady[0].CapturedAt).TotalSeconds;
        var rate = (steady.Count - 1) / span;
        output.WriteLine($"{steady.Count} packets in {span:F3} s after the first second: {rate:F2} packets/s; {packets.Count} in all");
        Assert.True(span >= 2, $"only {span:F2} s of steady stream");
        Assert.InRange(rate, 47.5, 52.5);
        Assert.True(packets[0].Marker, "no marker bit on the first packet");
        Assert.All(packets, p => Assert.Equal(0, p.PayloadType));
        Assert.All(packets, p => Assert.Equal(packets[0].Ssrc, p.Ssrc));
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.Equal((ushort)(packets[i - 1].SequenceNumber + 1), packets[i].SequenceNumber);
            Assert.Equal(packets[i - 1].Timestamp + 160, packets[i].Timestamp);
            Assert.False(packets[i].Marker, $"marker bit on packet {i}");
        }
    }

    [Fact]
    public async Task CallerHoldsThenResumes_RtpStopsDuringHold_ResumesOnSameStream()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        await using var capture = await LoopbackCapture.StartAsync(TimeSpan.FromSeconds(10));

        var run = await Sipp.RunAsync("uac_hold.xml", [.. MediaCalls.CallerArgs(holdMs: 0), "-key", "rtp_port", capture.Port.ToString()], MediaCalls.Target(server), MediaCalls.SippTimeout);
        var packets = await capture.StopAsync(TimeSpan.FromSeconds(10));

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        Assert.True(packets.Count > 2, $"{packets.Count} packets\n{server.Output}");
        var gaps = packets.Zip(packets.Skip(1), (a, b) => (Before: a, After: b, Length: b.CapturedAt - a.CapturedAt)).ToList();
        var hold = gaps.MaxBy(g => g.Length);
        var before = packets.Count(p => p.CapturedAt <= hold.Before.CapturedAt);
        var after = packets.Count - before;
        output.WriteLine($"{before} packets, silence of {hold.Length.TotalMilliseconds:F0} ms, then {after} packets");
        // 1.5 s of held call: the server sends nothing while the caller is sendonly.
        Assert.InRange(hold.Length.TotalMilliseconds, 1200, 1900);
        Assert.InRange(before, 50, 90);
        Assert.InRange(after, 50, 90);
        // Same stream after the hold; sequence and timestamp moved on meanwhile, so the caller sees loss, not a new source.
        Assert.Equal(hold.Before.Ssrc, hold.After.Ssrc);
        var skipped = (ushort)(hold.After.SequenceNumber - hold.Before.SequenceNumber);
        Assert.InRange(skipped, 50, 100);
        Assert.Equal((uint)skipped * 160, hold.After.Timestamp - hold.Before.Timestamp);
    }

    [Fact]
    public async Task InviteWithoutSdp_OfferIn200_AnswerInAckTaken_CallerAudioRecorded()
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var run = await Sipp.RunAsync("uac_late_offer.xml", MediaCalls.CallerArgs(holdMs: 7500), MediaCalls.Target(server), MediaCalls.SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        var recording = StereoRecording.Read(await MediaCalls.CompletedRecordingAsync(server, TimeSpan.FromSeconds(10)));
        var sent = PcapRtp.DecodeALaw(PcapRtp.Read(MediaCalls.AlawCapture));
        var onset = AudioMatch.Onset(recording.Left);
        Assert.True(onset >= 0, "the caller channel is silent\n" + server.Output);
        var (correlation, lag) = AudioMatch.BestCorrelation(sent, recording.Left, onset - 800, onset + 800);
        output.WriteLine($"late offer: correlation {correlation:F4} at lag {lag}");
        Assert.True(correlation >= 0.9, $"correlation {correlation:F3} at lag {lag}");
    }

    [Fact]
    public async Task OfferWithOnlyG729_488WithWarning()
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var run = await Sipp.RunAsync("uac_g729.xml", MediaCalls.CallerArgs(holdMs: 0), MediaCalls.Target(server), MediaCalls.SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        await server.WaitForOutputAsync("refused with 488", TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("recording to", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortRangeExhausted_503WithRetryAfter()
    {
        // Two RTP/RTCP pairs (the smallest range the configuration accepts): the two calls SIPp holds take them.
        var pairs = FreePorts.NextBlock(4);
        await using var server = await IntakeServerProcess.StartAsync([$"--Rtp:PortMin={pairs}", $"--Rtp:PortMax={pairs + 3}"]);
        var holder = Sipp.Start("uac_call.xml", MediaCalls.CallerArgs(holdMs: 3000, calls: 2), MediaCalls.Target(server));
        await MediaCalls.WaitForLinesAsync(server, "recording to", 2, TimeSpan.FromSeconds(10));

        using var client = new RawSipClient(server.SipPort);
        await client.SendTextAsync($"""
            INVITE sip:19@127.0.0.1:$SERVER$ SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:$PORT$;branch=z9hG4bKnoport
            Max-Forwards: 70
            From: <sip:caller@127.0.0.1:$PORT$>;tag=noport
            To: <sip:19@127.0.0.1:$SERVER$>
            Call-ID: {Guid.NewGuid():N}@127.0.0.1
            CSeq: 1 INVITE
            Contact: <sip:caller@127.0.0.1:$PORT$>
            Content-Length: 0


            """);
        var response = await client.ReceiveFinalAsync(TimeSpan.FromSeconds(5));
        var run = await holder.WaitAsync(MediaCalls.SippTimeout);

        Assert.True(response is not null, "no final response\n" + server.Output);
        Assert.Equal(503, RawSipClient.StatusOf(response!));
        Assert.Contains("Retry-After: 5", response, StringComparison.OrdinalIgnoreCase);
        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
    }

    [Fact]
    public async Task CallerSendsNoRtp_ServerEndsCallWithByeAfterInactivitySeconds()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Rtp:InactivitySeconds=2"]);

        var run = await Sipp.RunAsync("uac_silent.xml", MediaCalls.CallerArgs(holdMs: 0), MediaCalls.Target(server), MediaCalls.SippTimeout);

        Assert.True(run.ExitCode == 0, run.Output + "\n--- server ---\n" + server.Output);
        await server.WaitForOutputAsync("ended: media-timeout", TimeSpan.FromSeconds(5));
        var trace = SippMessageTrace.Read(Path.Combine(run.WorkDirectory, "messages.log"));
        var ok = trace.First(e => e.Received && e.FirstLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Time;
        var bye = trace.First(e => e.Received && e.FirstLine.StartsWith("BYE ", StringComparison.Ordinal)).Time;
        output.WriteLine($"BYE {(bye - ok).TotalMilliseconds:F0} ms after the 200 OK");
        // Supervision runs once a second, so the BYE comes between 2 and 3 s after the answer (plus scheduling).
        Assert.InRange((bye - ok).TotalMilliseconds, 1900, 3600);
    }
}
