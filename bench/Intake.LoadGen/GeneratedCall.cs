using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Intake.Media.Codecs;
using Intake.Media.Io;
using Intake.Media.Rtp;

namespace Intake.LoadGen;

/// <summary>
/// The RTP side of one caller: its socket, the packets it sends (a tone tagged with call index and counter, one every
/// 20 ms, continuous sequence numbers and timestamps, one SSRC) and what comes back. Sending state is touched only
/// by the pacer thread, <see cref="Returned"/> only by the reactor thread.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class GeneratedCall : IDatagramSink
{
    private readonly byte[] _packet;
    private readonly SocketAddress _target;
    private readonly uint _ssrc;
    private readonly ushort _firstSequence;
    private readonly uint _firstTimestamp;
    private readonly long _ticksPerPacket;
    private readonly TimeProvider _time;

    public GeneratedCall(Announcement announcement, byte[] toneFrame, long firstDue, long sendTicks, long closeTicks, TimeProvider time)
    {
        Announcement = announcement;
        _time = time;
        _ticksPerPacket = time.TimestampFrequency / 50;
        NextDue = firstDue;
        SendUntil = firstDue + sendTicks;
        CloseAt = SendUntil + closeTicks;
        _packet = new byte[RtpHeader.FixedSize + toneFrame.Length];
        toneFrame.CopyTo(_packet, RtpHeader.FixedSize);
        _target = new IPEndPoint(IPAddress.Loopback, announcement.ServerPort).Serialize();
        // Fixed per call and distinct between calls, so a relayed stream can be told apart in a capture.
        _ssrc = 0x1A7E0000u | (uint)announcement.CallIndex;
        _firstSequence = (ushort)(announcement.CallIndex * 7919);
        _firstTimestamp = (uint)announcement.CallIndex * 160_000u;
        Returned = new ReturnStatistics(announcement.CallIndex, G711.ClockRate);
    }

    public Announcement Announcement { get; }

    public Socket? Socket { get; private set; }

    public DatagramRegistration? Registration { get; private set; }

    /// <summary>Why the socket could not be opened, or null.</summary>
    public string? OpenError { get; private set; }

    public long NextDue { get; private set; }

    public long SendUntil { get; }

    public long CloseAt { get; }

    public long Sent { get; private set; }

    public long SendFailures { get; private set; }

    public ReturnStatistics Returned { get; }

    /// <summary>Binds the call's port on 127.0.0.1 and hands the socket to the reactor; false (with a reason) on failure.</summary>
    public bool Open(DatagramReactor reactor)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.ReceiveBufferSize = 256 * 1024;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, Announcement.LocalPort));
            Registration = reactor.Register(socket, this, Announcement.CallIndex);
            Socket = socket;
            return true;
        }
        catch (SocketException e)
        {
            OpenError = $"port {Announcement.LocalPort}: {e.SocketErrorCode}";
            socket.Dispose();
            return false;
        }
    }

    /// <summary>
    /// Sends the packets due by <paramref name="now"/>, at most <paramref name="maxBurst"/> (a late pacer catches up a
    /// little, never floods); returns how late the first one was, in ticks (0 when none was due).
    /// </summary>
    public long SendDue(long now, int maxBurst)
    {
        long lateness = 0;
        for (var burst = 0; burst < maxBurst && NextDue <= now && NextDue < SendUntil && Sent <= PacketTag.MaxCounter; burst++)
        {
            if (burst == 0)
            {
                lateness = now - NextDue;
            }

            var counter = (int)Sent;
            var header = new RtpHeader(
                marker: counter == 0,
                payloadType: (byte)Announcement.PayloadType,
                sequenceNumber: (ushort)(_firstSequence + counter),
                timestamp: _firstTimestamp + (uint)counter * G711.SamplesPerFrame,
                ssrc: _ssrc);
            header.WriteTo(_packet);
            new PacketTag(Announcement.CallIndex, counter).WriteTo(_packet.AsSpan(RtpHeader.FixedSize));
            if (Registration is null || !Registration.TrySendTo(_packet, _target))
            {
                SendFailures++;
            }

            Sent++;
            NextDue += _ticksPerPacket;
        }

        return lateness;
    }

    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        var arrival = _time.GetTimestamp() / (double)_time.TimestampFrequency;
        if (!RtpHeader.TryParse(datagram, out var header, out _))
        {
            Returned.OnMalformed();
            return;
        }

        var payload = header.GetPayload(datagram);
        PacketTag? tag = PacketTag.TryRead(payload, out var t) ? t : null;
        Returned.OnPacket(arrival, header.Timestamp, tag);
    }

    /// <summary>Stops delivery, then closes the socket (only once the reactor let go of the descriptor).</summary>
    public async Task CloseAsync()
    {
        if (Registration is not null)
        {
            await Registration.DisposeAsync().ConfigureAwait(false);
        }

        Socket?.Dispose();
    }
}
