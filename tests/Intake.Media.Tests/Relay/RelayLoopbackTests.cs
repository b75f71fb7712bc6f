using System.Net;
using System.Net.Sockets;
using Intake.Media.Codecs;
using Intake.Media.Prompts;
using Intake.Media.Recording;
using Intake.Media.Relay;
using Intake.Media.Rtp;
using Intake.Media.Tests.TestSupport;
using NAudio.Wave;

namespace Intake.Media.Tests.Relay;

public sealed class RelayLoopbackTests
{
    private static Socket Phone()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static RtpSession OpenSession(RtpPortPool pool, MediaClock clock, Intake.Media.Io.DatagramReactor? reactor = null)
    {
        var options = reactor is null ? null : new RtpSessionOptions { Reactor = reactor };
        Assert.True(RtpSession.TryOpen(pool, IPAddress.Loopback, clock, options, null, out var session));
        return session!;
    }

    private static byte[] Packet(byte pt, ushort seq, uint ts, uint ssrc, ReadOnlySpan<byte> payload, bool marker = false)
    {
        var packet = new byte[12 + payload.Length];
        new RtpHeader(marker, pt, seq, ts, ssrc).WriteTo(packet);
        payload.CopyTo(packet.AsSpan(12));
        return packet;
    }

    private static async Task<List<(RtpHeader Header, byte[] Payload)>> ReceiveAsync(Socket socket, int count)
    {
        var received = new List<(RtpHeader, byte[])>();
        var buffer = new byte[2048];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (received.Count < count)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            Assert.True(RtpHeader.TryParse(buffer.AsSpan(0, n), out var header, out _));
            received.Add((header, header.GetPayload(buffer.AsSpan(0, n)).ToArray()));
        }

        return received;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Relay_TwoSessionsOnLoopback_ForwardsTranscodesPassesDtmfAndRecords(bool sharedReactor)
    {
        using var temp = new TempDirectory();
        using var clock = new MediaClock(TimeProvider.System);
        using var reactor = sharedReactor && OperatingSystem.IsLinux() ? new Intake.Media.Io.DatagramReactor(2) : null;
        var pool = new RtpPortPool(47000, 47999);
        await using var callerLeg = OpenSession(pool, clock, reactor);
        await using var operatorLeg = OpenSession(pool, clock, reactor);
        using var callerPhone = Phone();
        using var operatorPhone = Phone();
        callerLeg.SetRemote((IPEndPoint)callerPhone.LocalEndPoint!);
        callerLeg.SetPayloadFormat(AudioEncoding.Pcmu, 0, 101, 101);
        operatorLeg.SetRemote((IPEndPoint)operatorPhone.LocalEndPoint!);
        operatorLeg.SetPayloadFormat(AudioEncoding.Pcma, 8, 96, 96);
        var recorder = CallRecorder.Start(temp.Path, "loopback", TimeProvider.System);
        recorder.AttachTo(callerLeg);
        using var relay = new RtpRelay(callerLeg, operatorLeg);
        var digits = new List<char>();
        callerLeg.DtmfReceived += (_, e) => digits.Add(e.Digit);
        callerLeg.Start();
        operatorLeg.Start();

        var tone = Enumerable.Range(0, 160).Select(i => (short)(5000 * Math.Sin(i * 2 * Math.PI / 20))).ToArray();
        var mu = new byte[160];
        var alaw = new byte[160];
        G711.Encode(AudioEncoding.Pcmu, tone, mu);
        G711.Encode(AudioEncoding.Pcma, tone, alaw);
        var callerTarget = new IPEndPoint(IPAddress.Loopback, callerLeg.LocalPort);
        var operatorTarget = new IPEndPoint(IPAddress.Loopback, operatorLeg.LocalPort);
        for (var i = 0; i < 20; i++)
        {
            await callerPhone.SendToAsync(Packet(0, (ushort)(65530 + i), (uint)(i * 160), 0x1111, mu, i == 0), callerTarget);
        }

        var dtmf = new byte[4];
        for (var r = 0; r < 4; r++)
        {
            new TelephoneEventPayload(1, r > 0, 10, (ushort)(160 * (r + 1))).WriteTo(dtmf);
            await callerPhone.SendToAsync(Packet(101, (ushort)(14 + r), 20 * 160, 0x1111, dtmf, r == 0), callerTarget);
        }

        var atOperator = await ReceiveAsync(operatorPhone, 24);
        for (var i = 0; i < 20; i++)
        {
            await operatorPhone.SendToAsync(Packet(8, (ushort)(100 + i), (uint)(9000 + (i * 160)), 0x2222, alaw), operatorTarget);
        }

        var atCaller = await ReceiveAsync(callerPhone, 20);

        var audio = atOperator.Where(p => p.Header.PayloadType == 8).ToList();
        Assert.Equal(20, audio.Count);
        Assert.All(audio, p => Assert.Equal(operatorLeg.Outbound.Ssrc, p.Header.Ssrc));
        var expectedAtOperator = new byte[160];
        G711.Transcode(AudioEncoding.Pcmu, AudioEncoding.Pcma, mu, expectedAtOperator);
        Assert.Equal(expectedAtOperator, audio[5].Payload);
        for (var i = 1; i < audio.Count; i++)
        {
            Assert.Equal((ushort)(audio[i - 1].Header.SequenceNumber + 1), audio[i].Header.SequenceNumber);
            Assert.Equal(audio[i - 1].Header.Timestamp + 160, audio[i].Header.Timestamp);
        }

        var events = atOperator.Where(p => p.Header.PayloadType == 96).ToList();
        Assert.Equal(4, events.Count);
        Assert.All(events, e => Assert.Equal(audio[^1].Header.Timestamp + 160, e.Header.Timestamp));
        Assert.Equal(['1'], digits);

        Assert.All(atCaller, p => Assert.Equal(0, p.Header.PayloadType));
        Assert.All(atCaller, p => Assert.Equal(callerLeg.Outbound.Ssrc, p.Header.Ssrc));
        var expectedAtCaller = new byte[160];
        G711.Transcode(AudioEncoding.Pcma, AudioEncoding.Pcmu, alaw, expectedAtCaller);
        Assert.Equal(expectedAtCaller, atCaller[3].Payload);
        Assert.Equal(40, relay.ForwardedToOperator + relay.ForwardedToCaller - 4);

        var quality = callerLeg.GetQualitySnapshot();
        Assert.Equal(24, quality.PacketsReceived);
        Assert.Equal(0, quality.PacketsLost);
        Assert.Equal(20, quality.PacketsSent);

        recorder.DetachFrom(callerLeg);
        var result = await recorder.CompleteAsync();
        using var reader = new WaveFileReader(result.Path);
        Assert.Equal(2, reader.WaveFormat.Channels);
        var bytes = new byte[reader.Length];
        var read = reader.Read(bytes, 0, bytes.Length);
        var leftEnergy = 0L;
        var rightEnergy = 0L;
        for (var i = 0; i + 3 < read; i += 4)
        {
            leftEnergy += Math.Abs((int)BitConverter.ToInt16(bytes, i));
            rightEnergy += Math.Abs((int)BitConverter.ToInt16(bytes, i + 2));
        }

        Assert.True(leftEnergy > 20 * 160 * 1000, $"left energy {leftEnergy}");
        Assert.True(rightEnergy > 20 * 160 * 1000, $"right energy {rightEnergy}");
        Assert.Equal(0, result.DroppedPackets);
    }

    [Fact]
    public async Task UsePlayerThenUseRelay_HoldAndResume_CallerStreamStaysContinuous()
    {
        using var clock = new MediaClock(TimeProvider.System);
        var pool = new RtpPortPool(43000, 43999);
        await using var callerLeg = OpenSession(pool, clock);
        await using var operatorLeg = OpenSession(pool, clock);
        using var callerPhone = Phone();
        using var operatorPhone = Phone();
        callerLeg.SetRemote((IPEndPoint)callerPhone.LocalEndPoint!);
        callerLeg.SetPayloadFormat(AudioEncoding.Pcma, 8, null, null);
        operatorLeg.SetRemote((IPEndPoint)operatorPhone.LocalEndPoint!);
        operatorLeg.SetPayloadFormat(AudioEncoding.Pcma, 8, null, null);
        using var relay = new RtpRelay(callerLeg, operatorLeg);
        using var player = new PromptPlayer(callerLeg.Outbound, clock);
        callerLeg.Start();
        operatorLeg.Start();
        var hold = Prompt.FromSamples("hold", [.. Enumerable.Range(0, 8000).Select(i => (short)(3000 * Math.Sin(i / 5.0)))]);

        relay.UsePlayer(RelayLeg.Caller, player, PromptPlaylist.Loop(hold, TimeSpan.FromSeconds(2)));
        var prompts = await ReceiveAsync(callerPhone, 5);
        relay.UseRelay(RelayLeg.Caller);
        var operatorTarget = new IPEndPoint(IPAddress.Loopback, operatorLeg.LocalPort);
        for (var i = 0; i < 3; i++)
        {
            await operatorPhone.SendToAsync(Packet(8, (ushort)(500 + i), (uint)(80_000 + (i * 160)), 0x3333, new byte[160]), operatorTarget);
        }

        // Prompt packets already in flight may still arrive before the relayed ones.
        var rest = await ReceiveAsync(callerPhone, 3);
        while (rest.Count(p => p.Payload.All(b => b == 0)) < 3)
        {
            rest.AddRange(await ReceiveAsync(callerPhone, 1));
        }

        var all = prompts.Concat(rest).ToList();
        Assert.True(all[0].Header.Marker);
        Assert.All(all, p => Assert.Equal(callerLeg.Outbound.Ssrc, p.Header.Ssrc));
        for (var i = 1; i < all.Count; i++)
        {
            Assert.Equal((ushort)(all[i - 1].Header.SequenceNumber + 1), all[i].Header.SequenceNumber);
            Assert.True(RtpSequenceMath.IsNewerTimestamp(all[i].Header.Timestamp, all[i - 1].Header.Timestamp));
        }

        var firstRelayed = all.FindIndex(p => p.Payload.All(b => b == 0));
        Assert.True(all[firstRelayed].Header.Marker);
        Assert.False(player.IsPlaying);
    }

    [Fact]
    public async Task Session_PacketsFromOtherAddressAfterLatch_Dropped()
    {
        using var clock = new MediaClock(TimeProvider.System);
        var pool = new RtpPortPool(48000, 48999);
        await using var leg = OpenSession(pool, clock);
        using var peer = Phone();
        using var intruder = Phone();
        leg.SetRemote(new IPEndPoint(IPAddress.Loopback, 9));
        leg.SetPayloadFormat(AudioEncoding.Pcmu, 0, null, null);
        var received = 0;
        leg.PacketReceived = (RtpSession _, in RtpHeader _, ReadOnlySpan<byte> _) => Interlocked.Increment(ref received);
        leg.Start();
        var target = new IPEndPoint(IPAddress.Loopback, leg.LocalPort);

        await peer.SendToAsync(Packet(0, 1, 160, 5, new byte[160]), target);
        await WaitUntilAsync(() => Volatile.Read(ref received) == 1);
        await intruder.SendToAsync(Packet(0, 2, 320, 5, new byte[160]), target);
        await peer.SendToAsync(Packet(0, 3, 480, 5, new byte[160]), target);
        await WaitUntilAsync(() => Volatile.Read(ref received) == 2);

        Assert.Equal(peer.LocalEndPoint, leg.RemoteEndPoint);
        Assert.Equal(1, leg.GetQualitySnapshot().UnexpectedSourcePackets);

        // Symmetric RTP: our packets go to where the peer's came from, not to the SDP port 9.
        leg.Outbound.SwitchOwner(this);
        leg.Outbound.SendFrame(this, new byte[160], 160);
        var back = await ReceiveAsync(peer, 1);
        Assert.Equal(leg.Outbound.Ssrc, back[0].Header.Ssrc);
    }

    [Fact]
    public async Task Session_MalformedDatagrams_CountedAndLoopSurvives()
    {
        using var clock = new MediaClock(TimeProvider.System);
        var pool = new RtpPortPool(49000, 49999);
        await using var leg = OpenSession(pool, clock);
        using var peer = Phone();
        leg.SetRemote((IPEndPoint)peer.LocalEndPoint!);
        leg.PacketReceived = (RtpSession _, in RtpHeader _, ReadOnlySpan<byte> _) => throw new InvalidOperationException("handler bug");
        leg.Start();
        var target = new IPEndPoint(IPAddress.Loopback, leg.LocalPort);

        await peer.SendToAsync(new byte[] { 1, 2, 3 }, target);
        await peer.SendToAsync(Packet(0, 1, 160, 5, new byte[160]), target);
        await peer.SendToAsync(Packet(0, 2, 320, 5, new byte[160]), target);
        await WaitUntilAsync(() => leg.GetQualitySnapshot().PacketsReceived == 2);

        Assert.Equal(1, leg.GetQualitySnapshot().MalformedPackets);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Start_SessionsOnASharedReactor_SpreadOverItsThreads()
    {
        using var clock = new MediaClock(TimeProvider.System);
        using var reactor = new Intake.Media.Io.DatagramReactor(2);
        var pool = new RtpPortPool(47200, 47299);
        await using var first = OpenSession(pool, clock, reactor);
        await using var second = OpenSession(pool, clock, reactor);
        using var phone = Phone();
        first.Start();
        second.Start();
        var payload = new byte[160];
        for (var i = 0; i < 10; i++)
        {
            await phone.SendToAsync(Packet(0, (ushort)i, (uint)(i * 160), 0x42, payload), new IPEndPoint(IPAddress.Loopback, first.LocalPort));
            await phone.SendToAsync(Packet(0, (ushort)i, (uint)(i * 160), 0x43, payload), new IPEndPoint(IPAddress.Loopback, second.LocalPort));
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((first.PacketsReceived < 10 || second.PacketsReceived < 10) && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        // Consecutive port pairs land on different threads: RTP ports are all even, so the lane is not the port.
        Assert.Equal(10, first.PacketsReceived);
        Assert.Equal(10, second.PacketsReceived);
        Assert.All(reactor.DatagramsPerThread, count => Assert.True(count >= 10, $"per thread: {string.Join(", ", reactor.DatagramsPerThread)}"));
    }
}
