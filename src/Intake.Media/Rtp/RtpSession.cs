using System.Net;
using System.Net.Sockets;
using Intake.Media.Codecs;
using Intake.Media.Sdp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Media.Rtp;

/// <summary>
/// One call leg's media: an RTP socket on an even pooled port and an RTCP socket on port+1,
/// one receive loop each (awaiting <see cref="Socket.ReceiveFromAsync(Memory{byte}, SocketFlags, SocketAddress, CancellationToken)"/>
/// with a reused buffer and <see cref="SocketAddress"/>, so steady-state reception allocates
/// nothing), symmetric RTP latching, RFC 3550 statistics, RTCP reports, DTMF detection and an
/// inactivity event. Housekeeping runs on the shared <see cref="MediaClock"/>.
/// </summary>
public sealed partial class RtpSession : IRtpPacketTransmitter, IMediaClockClient, IAsyncDisposable
{
    private const int ReceiveBufferBytes = 2048;
    private const int MaxConsecutiveSocketErrors = 1000;

    private readonly Socket _rtpSocket;
    private readonly Socket _rtcpSocket;
    private readonly RtpPortPool _pool;
    private readonly MediaClock _clock;
    private readonly TimeProvider _timeProvider;
    private readonly RtpSessionOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly RtpReceiveStatistics _statistics = new(G711.ClockRate);
    private readonly DtmfDetector _dtmf = new();
    private readonly long _created;
    private Task _rtpLoop = Task.CompletedTask;
    private Task _rtcpLoop = Task.CompletedTask;
    private Io.DatagramRegistration? _rtpRegistration;
    private Io.DatagramRegistration? _rtcpRegistration;
    private SocketAddress? _sendAddress;
    private SocketAddress? _latchedAddress;
    private IPAddress? _expectedAddress;
    private IPEndPoint? _remoteRtcp;
    private long _lastActivity;
    private bool _inactivityRaised;
    private int _disposed;
    private long _bytesReceived;
    private long _malformed;
    private long _unexpectedSource;
    private long _unknownPayloadType;
    private byte _telephoneEventPayloadType = byte.MaxValue;

    private RtpSession(Socket rtp, Socket rtcp, int port, RtpPortPool pool, MediaClock clock, RtpSessionOptions options, ILogger logger)
    {
        _rtpSocket = rtp;
        _rtcpSocket = rtcp;
        LocalPort = port;
        _pool = pool;
        _clock = clock;
        _timeProvider = clock.TimeProvider;
        _options = options;
        _logger = logger;
        _created = _timeProvider.GetTimestamp();
        _lastActivity = _created;
        Outbound = new RtpOutboundStream(this, _timeProvider);
        ScheduleNextReport(_created);
    }

    /// <summary>Local RTP port (even); RTCP is on LocalPort + 1.</summary>
    public int LocalPort { get; }

    /// <summary>Local address the sockets are bound to.</summary>
    public IPAddress LocalAddress => ((IPEndPoint)_rtpSocket.LocalEndPoint!).Address;

    /// <summary>What this session sends; give it to the relay or a prompt player.</summary>
    public RtpOutboundStream Outbound { get; }

    /// <summary>Where packets go now (the latched source once latched), or null before <see cref="SetRemote"/>.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }

    /// <summary>Handler for accepted packets (the relay sets it).</summary>
    public RtpPacketHandler? PacketReceived { get; set; }

    /// <summary>Observer of received audio (the recorder's left channel on the caller leg).</summary>
    public IRtpMediaTap? Tap { get; set; }

    /// <summary>When false (the peer put the stream on hold or inactive), silence is not a timeout.</summary>
    public bool ExpectInboundMedia { get; set; } = true;

    /// <summary>Raised once, from the media clock thread, when no RTP came for <see cref="RtpSessionOptions.InactivitySeconds"/>.</summary>
    public event EventHandler? InactivityTimeout;

    /// <summary>Raised on the receive loop once per RFC 4733 event (retransmissions suppressed).</summary>
    public event EventHandler<DtmfEvent>? DtmfReceived;

    /// <summary>
    /// Opens a session on the least recently released free port pair. Ports that cannot be
    /// bound (taken by another process) are skipped. False when the pool is exhausted.
    /// </summary>
    public static bool TryOpen(RtpPortPool pool, IPAddress bindAddress, MediaClock clock, RtpSessionOptions? options, ILogger? logger, out RtpSession? session)
    {
        session = null;
        var attempts = Math.Min(pool.Capacity, 64);
        for (var i = 0; i < attempts; i++)
        {
            if (!pool.TryAcquire(out var port))
            {
                return false;
            }

            Socket? rtp = null;
            Socket? rtcp = null;
            try
            {
                rtp = CreateSocket(bindAddress, port, options);
                rtcp = CreateSocket(bindAddress, port + 1, options);
                session = new RtpSession(rtp, rtcp, port, pool, clock, options ?? new RtpSessionOptions(), logger ?? NullLogger.Instance);
                return true;
            }
            catch (SocketException)
            {
                rtp?.Dispose();
                rtcp?.Dispose();
                pool.Release(port);
            }
        }

        return false;
    }

    /// <summary>Starts the receive loops and the housekeeping (RTCP, inactivity).</summary>
    public void Start()
    {
        var rtpSink = new DatagramSink(this, rtcp: false);
        var rtcpSink = new DatagramSink(this, rtcp: true);
        if (OperatingSystem.IsLinux() && _options.Reactor is { } reactor)
        {
            // Both sockets on one reactor thread: RTCP and RTP of a session are never handled concurrently. The lane is
            // the port pair's index (RTP ports are all even: the port itself would put every session on lane 0 of 2).
            var lane = LocalPort / 2;
            _rtpRegistration = reactor.Register(_rtpSocket, rtpSink, lane);
            _rtcpRegistration = reactor.Register(_rtcpSocket, rtcpSink, lane);
        }
        else
        {
            _rtpLoop = ReceiveLoopAsync(_rtpSocket, rtpSink);
            _rtcpLoop = ReceiveLoopAsync(_rtcpSocket, rtcpSink);
        }

        _clock.AddSecondClient(this);
    }

    /// <summary>
    /// Sets the peer from the SDP (c= address and m= port) and resets latching; call again
    /// after each re-INVITE that changes it. <paramref name="rtcp"/> defaults to port + 1.
    /// </summary>
    public void SetRemote(IPEndPoint rtp, IPEndPoint? rtcp = null)
    {
        var target = Normalize(rtp);
        lock (_gate)
        {
            _expectedAddress = target.Address;
            _latchedAddress = null;
            _remoteRtcp = Normalize(rtcp ?? new IPEndPoint(rtp.Address, rtp.Port + 1));
            RemoteEndPoint = target;
            Volatile.Write(ref _sendAddress, target.Serialize());
        }
    }

    /// <summary>
    /// Sets the negotiated payload formats: the codec we send, the telephone-event type the
    /// peer expects from us, and the one we announced for what we receive.
    /// </summary>
    public void SetPayloadFormat(AudioEncoding encoding, byte payloadType, byte? sendTelephoneEventPayloadType, byte? receiveTelephoneEventPayloadType)
    {
        Outbound.SetFormat(encoding, payloadType, sendTelephoneEventPayloadType);
        _telephoneEventPayloadType = receiveTelephoneEventPayloadType ?? byte.MaxValue;
    }

    /// <summary>
    /// Applies an offer/answer result: remote address (when it is an IP; resolve host names
    /// first and call <see cref="SetRemote"/>), formats, and hold state (we stop sending when our
    /// direction forbids it; silence is not a timeout while the peer does not send).
    /// </summary>
    public void Apply(NegotiatedAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.RemoteRtpEndPoint is { } rtp)
        {
            SetRemote(rtp, audio.RemoteRtcpEndPoint);
        }

        SetPayloadFormat(audio.Encoding, audio.PayloadType, audio.SendTelephoneEventPayloadType, audio.ReceiveTelephoneEventPayloadType);
        Outbound.Enabled = audio.LocalSends && audio.RemoteDirection.Receives();
        ExpectInboundMedia = audio.RemoteSends;
    }

    /// <summary>Payload type of telephone-event accepted from the peer, or null.</summary>
    public byte? TelephoneEventPayloadType => _telephoneEventPayloadType == byte.MaxValue ? null : _telephoneEventPayloadType;

    /// <summary>Current quality figures.</summary>
    public RtpQualitySnapshot GetQualitySnapshot()
    {
        lock (_gate)
        {
            var lost = _statistics.TotalLost;
            var expected = lost + PacketsReceived;
            return new RtpQualitySnapshot(
                PacketsReceived,
                _bytesReceived,
                Outbound.PacketsSent,
                Outbound.OctetsSent,
                lost,
                expected > 0 ? lost * 100.0 / expected : 0,
                _statistics.Duplicates,
                _statistics.Reordered,
                _statistics.JitterMilliseconds,
                _roundTripMilliseconds,
                _remoteLossPercent,
                _remoteJitterMilliseconds,
                _statistics.SourceChanges,
                _malformed,
                _unexpectedSource);
        }
    }

    /// <summary>RTP packets accepted over the session's life (all SSRCs).</summary>
    public long PacketsReceived { get; private set; }

    /// <summary>Datagrams with an unknown payload type (neither G.711 nor the negotiated telephone-event).</summary>
    public long UnknownPayloadTypePackets => Interlocked.Read(ref _unknownPayloadType);

    /// <inheritdoc />
    bool IRtpPacketTransmitter.TrySend(ReadOnlySpan<byte> packet)
    {
        var target = Volatile.Read(ref _sendAddress);
        if (target is null || Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }

        if (OperatingSystem.IsLinux() && _rtpRegistration is { } registration)
        {
            return registration.TrySendTo(packet, target);
        }

        try
        {
            _rtpSocket.SendTo(packet, SocketFlags.None, target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    void IMediaClockClient.OnFrame(long frame, long timestamp)
    {
        CheckInactivity(timestamp);
        SendReportIfDue(timestamp);
    }

    /// <summary>Sends RTCP BYE, stops the loops, closes the sockets and returns the port to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _clock.RemoveSecondClient(this);
        SendGoodbye();
        if (OperatingSystem.IsLinux())
        {
            // The reactor lets go of the descriptors first, so their numbers cannot be reused under it.
            if (_rtpRegistration is { } rtpRegistration)
            {
                await rtpRegistration.DisposeAsync().ConfigureAwait(false);
            }

            if (_rtcpRegistration is { } rtcpRegistration)
            {
                await rtcpRegistration.DisposeAsync().ConfigureAwait(false);
            }
        }

        _rtpSocket.Dispose();
        _rtcpSocket.Dispose();
        await Task.WhenAll(_rtpLoop, _rtcpLoop).ConfigureAwait(false);
        _pool.Release(LocalPort);
    }

    private static Socket CreateSocket(IPAddress bindAddress, int port, RtpSessionOptions? options)
    {
        var socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bindAddress.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (options is { SocketReceiveBufferBytes: > 0 })
            {
                socket.ReceiveBufferSize = options.SocketReceiveBufferBytes;
            }

            socket.Bind(new IPEndPoint(bindAddress, port));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private IPEndPoint Normalize(IPEndPoint endPoint) =>
        _rtpSocket.AddressFamily == AddressFamily.InterNetworkV6 && _rtpSocket.DualMode && endPoint.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port)
            : endPoint;

    private void CheckInactivity(long now)
    {
        if (_options.InactivitySeconds <= 0 || !ExpectInboundMedia || _inactivityRaised)
        {
            if (!ExpectInboundMedia)
            {
                Volatile.Write(ref _lastActivity, now);
            }

            return;
        }

        long last;
        lock (_gate)
        {
            last = _lastActivity;
        }

        if (_timeProvider.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(_options.InactivitySeconds))
        {
            _inactivityRaised = true;
            Log.Inactive(_logger, LocalPort, _options.InactivitySeconds);
            InactivityTimeout?.Invoke(this, EventArgs.Empty);
        }
    }
}
