using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Intake.Media.Io;
using Intake.Media.Rtp;

namespace Intake.LoadGen;

/// <summary>
/// The operators' media: one UDP socket that every operator's SDP answer points at (SIPp still does the operators'
/// signalling), sending each packet straight back to where it came from — the server's port of that operator leg —
/// as SIPp's -rtp_echo does, but counting per call what arrived and what went back, so that loss on the way to the
/// operator and loss on the way back are told apart.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class OperatorEcho : IDatagramSink
{
    private readonly Dictionary<int, EchoStatistics> _calls = [];
    private Socket? _socket;
    private DatagramRegistration? _registration;

    /// <summary>Every datagram received.</summary>
    public long Received { get; private set; }

    /// <summary>Datagrams without a tag (not from a generated caller, or not RTP).</summary>
    public long Untagged { get; private set; }

    /// <summary>Datagrams that could not be sent back.</summary>
    public long EchoFailures { get; private set; }

    /// <summary>Per call index; read only after <see cref="CloseAsync"/>.</summary>
    public IReadOnlyDictionary<int, EchoStatistics> Calls => _calls;

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> with a large receive buffer and starts echoing.</summary>
    public void Open(DatagramReactor reactor, int port, int lane)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // one socket carries every call's operator audio: room for bursts of a thousand calls
            socket.ReceiveBufferSize = 4 * 1024 * 1024;
            socket.SendBufferSize = 4 * 1024 * 1024;
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            _registration = reactor.Register(socket, this, lane);
            _socket = socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        Received++;
        var echoed = _registration is not null && _registration.TrySendTo(datagram, from);
        if (!echoed)
        {
            EchoFailures++;
        }

        if (!RtpHeader.TryParse(datagram, out var header, out _) || !PacketTag.TryRead(header.GetPayload(datagram), out var tag))
        {
            Untagged++;
            return;
        }

        if (!_calls.TryGetValue(tag.CallIndex, out var stats))
        {
            stats = new EchoStatistics();
            _calls.Add(tag.CallIndex, stats);
        }

        stats.OnTagged(tag.Counter, echoed);
    }

    public async Task CloseAsync()
    {
        if (_registration is not null)
        {
            await _registration.DisposeAsync().ConfigureAwait(false);
        }

        _socket?.Dispose();
    }
}
