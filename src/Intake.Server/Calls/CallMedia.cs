using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Intake.Media.Codecs;
using Intake.Media.Prompts;
using Intake.Media.Recording;
using Intake.Media.Rtp;
using Intake.Media.Sdp;
using Intake.Server.Configuration;
using Intake.Server.Media;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Calls;

/// <summary>
/// The media side of calls: the process-wide port pool, media clock and prompt library, one
/// <see cref="CallerMediaSession"/> per caller leg (RTP, recording, announcements), and what we announce in SDP.
/// </summary>
public sealed class CallMedia : IAsyncDisposable
{
    // Flushing twice a second with a 300 ms reorder window keeps what a crash can lose under one second. A stream more
    // than 500 ms off its timestamps is re-anchored (a jump): the recorder's buffer spans that much ahead, and with
    // 1,000 calls that buffer is most of a call's memory.
    private static readonly CallRecorderOptions RecorderOptions = new()
    {
        Latency = TimeSpan.FromMilliseconds(300),
        FlushInterval = TimeSpan.FromMilliseconds(500),
        JumpThreshold = TimeSpan.FromMilliseconds(500),
    };

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(2);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _rtpLogger;
    private readonly QueueAnnouncements _announcements;
    private readonly Intake.Media.Io.DatagramReactor? _reactor;

    public CallMedia(IntakeConfiguration config, ConfigurationSource source, TimeProvider time, ILoggerFactory loggers)
    {
        _time = time;
        _logger = loggers.CreateLogger<CallMedia>();
        _rtpLogger = loggers.CreateLogger<RtpSession>();
        Ports = new RtpPortPool(config.Rtp.PortMin, config.Rtp.PortMax);
        Clock = new MediaClock(time);
        if (OperatingSystem.IsLinux())
        {
            _reactor = new Intake.Media.Io.DatagramReactor(config.Rtp.ReceiveThreads > 0 ? config.Rtp.ReceiveThreads : Environment.ProcessorCount, _rtpLogger);
        }

        SessionOptions = new RtpSessionOptions { InactivitySeconds = config.Rtp.InactivitySeconds, Reactor = _reactor };
        BindAddress = IPAddress.Parse(config.Sip.BindAddress);
        MediaAddress = ChooseMediaAddress(config.Sip);
        PromptDirectory = Path.Combine(source.Directory, "prompts");
        Prompts = new PromptLibrary(PromptDirectory);
        _announcements = new QueueAnnouncements(Prompts, config.Intake.PromptLanguage, _logger);
        RecordingsDirectory = Path.Combine(Path.GetFullPath(config.Intake.DataDirectory), "recordings");
        RepairRecordings();
        MediaLog.Ready(_logger, PromptDirectory, RecordingsDirectory, Ports.PortMin, Ports.PortMax, BindAddress.ToString());
    }

    /// <summary>Raised on the media clock thread when the caller sent no RTP for <c>Rtp:InactivitySeconds</c>; handlers must not block.</summary>
    public event Action<EmergencyCall>? MediaTimedOut;

    /// <summary>Raised on a socket thread once per RFC 4733 event from the caller; handlers must not block.</summary>
    public event Action<EmergencyCall, DtmfEvent>? DtmfReceived;

    public RtpPortPool Ports { get; }

    public MediaClock Clock { get; }

    public PromptLibrary Prompts { get; }

    public RtpSessionOptions SessionOptions { get; }

    /// <summary>The address RTP sockets bind to (the SIP bind address).</summary>
    public IPAddress BindAddress { get; }

    /// <summary>The address written in our SDP c= lines.</summary>
    public IPAddress MediaAddress { get; }

    public string PromptDirectory { get; }

    public string RecordingsDirectory { get; }

    /// <summary>Opens the RTP/RTCP sockets of a caller leg; false when the port range is exhausted (the caller gets 503).</summary>
    public bool TryOpenCallerLeg(out CallerMediaSession? leg)
    {
        leg = TryOpenSession(out var session) ? new CallerMediaSession(session!, Clock) : null;
        return leg is not null;
    }

    /// <summary>Opens one more RTP session on the shared pool and clock, e.g. an operator leg to bridge.</summary>
    public bool TryOpenSession(out RtpSession? session) => RtpSession.TryOpen(Ports, BindAddress, Clock, SessionOptions, _rtpLogger, out session);

    public SdpLocalMedia DescribeLocal(int rtpPort, ulong sessionId, ulong sessionVersion = 1) => new()
    {
        Address = MediaAddress,
        RtpPort = rtpPort,
        SessionId = sessionId,
        SessionVersion = sessionVersion,
    };

    /// <summary>The 200 OK is out: media flows, the recording starts and the caller hears the queue's announcements.</summary>
    public async ValueTask OnAnsweredAsync(EmergencyCall call)
    {
        if (call.Media is not { } leg)
        {
            return;
        }

        if (call.Audio is { } audio)
        {
            await ApplyAsync(call, leg, audio).ConfigureAwait(false);
        }

        leg.Session.InactivityTimeout += (_, _) => OnInactive(call);
        leg.Session.DtmfReceived += (_, e) => OnDtmf(call, e);

        // The recorder is attached before the receive loops start, so the caller's first packet is recorded too.
        var playlist = _announcements.For(call.Queue);
        if (leg.BeginAnswered(() => StartRecorder(call), playlist) && leg.Start() && leg.Recorder is { } recorder)
        {
            MediaLog.RecordingStarted(_logger, call.Id, recorder.FilePath);
        }
    }

    /// <summary>A new answer (the ACK's, or ours to a re-INVITE/UPDATE): hold, resume, or a new peer address.</summary>
    public async ValueTask OnMediaChangedAsync(EmergencyCall call)
    {
        if (call is { Media: { } leg, Audio: { } audio })
        {
            await ApplyAsync(call, leg, audio).ConfigureAwait(false);
        }
    }

    /// <summary>Stops prompts, completes the recording, keeps its result and the RTP quality on the call, frees the port.</summary>
    public async ValueTask OnEndedAsync(EmergencyCall call)
    {
        if (call.Media is not { } leg)
        {
            return;
        }

        try
        {
            var (recording, quality) = await leg.EndAsync().ConfigureAwait(false);
            if (recording is not null)
            {
                call.Recording = recording;
                MediaLog.RecordingCompleted(_logger, call.Id, recording.Path, (long)recording.Duration.TotalMilliseconds,
                    recording.SizeBytes, recording.Sha256, recording.DroppedPackets, recording.LatePackets);
            }

            if (quality is { } q)
            {
                call.CallerQuality = q;
                MediaLog.Quality(_logger, call.Id, q.PacketsReceived, q.PacketsSent, q.PacketsLost, q.LossPercent, q.JitterMilliseconds);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            MediaLog.StepFailed(_logger, call.Id, "teardown", ex);
        }
    }

    /// <summary>An emergency call goes on without its recording rather than fail on a full or read-only disk.</summary>
    private CallRecorder? StartRecorder(EmergencyCall call)
    {
        try
        {
            return CallRecorder.Start(RecordingsDirectory, call.Id, _time, RecorderOptions);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MediaLog.StepFailed(_logger, call.Id, "recording start", ex);
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Clock.Dispose();
        if (OperatingSystem.IsLinux())
        {
            _reactor?.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask ApplyAsync(EmergencyCall call, CallerMediaSession leg, NegotiatedAudio audio)
    {
        leg.Apply(audio);
        var peer = audio.RemoteRtpEndPoint;
        if (peer is null)
        {
            peer = await ResolveAsync(call, audio).ConfigureAwait(false);
            if (peer is not null)
            {
                leg.Session.SetRemote(peer, new IPEndPoint(peer.Address, audio.RemoteRtcpPort));
            }
        }

        MediaLog.MediaApplied(_logger, call.Id, leg.LocalPort, peer?.ToString() ?? audio.RemoteAddress, audio.Encoding.ToString(), audio.PayloadType, audio.RemoteDirection.ToString());
    }

    /// <summary>A host name in c= (RFC 4566 allows an FQDN): resolved once, bounded so a slow resolver cannot hold the call.</summary>
    private async ValueTask<IPEndPoint?> ResolveAsync(EmergencyCall call, NegotiatedAudio audio)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(call.Lifetime.Token);
        timeout.CancelAfter(ResolveTimeout);
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(audio.RemoteAddress, ResolveFamily, timeout.Token).ConfigureAwait(false);
            if (addresses.Length > 0)
            {
                return new IPEndPoint(addresses[0], audio.RemotePort);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ArgumentException)
        {
            // Reported below; the call goes on without media towards the caller until a re-INVITE fixes the address.
        }

        MediaLog.UnresolvedPeer(_logger, call.Id, audio.RemoteAddress);
        return null;
    }

    // A dual-mode socket (bound to ::) reaches IPv4 peers too.
    private AddressFamily ResolveFamily => BindAddress.Equals(IPAddress.IPv6Any) ? AddressFamily.Unspecified : BindAddress.AddressFamily;

    private void OnInactive(EmergencyCall call)
    {
        MediaLog.MediaTimeout(_logger, call.Id, SessionOptions.InactivitySeconds);
        MediaTimedOut?.Invoke(call);
    }

    private void OnDtmf(EmergencyCall call, DtmfEvent e)
    {
        MediaLog.Dtmf(_logger, call.Id, e.Digit, e.Event, e.Volume);
        DtmfReceived?.Invoke(call, e);
    }

    /// <summary>Recordings of calls cut short by a crash get valid RIFF sizes before anything else touches the directory.</summary>
    private void RepairRecordings()
    {
        foreach (var result in WavRepair.RepairDirectory(RecordingsDirectory))
        {
            if (result.Error is not null)
            {
                MediaLog.RecordingUnrepairable(_logger, result.Path, result.Error);
            }
            else if (result.Repaired)
            {
                MediaLog.RecordingRepaired(_logger, result.Path, result.DataBytes);
            }
            else
            {
                MediaLog.RecordingIntact(_logger, result.Path, result.DataBytes);
            }
        }
    }

    private static IPAddress ChooseMediaAddress(SipOptions sip)
    {
        if (sip.AdvertisedAddress is { } advertised)
        {
            return IPAddress.Parse(advertised);
        }

        var bound = IPAddress.Parse(sip.BindAddress);
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            return bound;
        }

        // Bound to every interface and nothing advertised: the first address of an interface that is up.
        var family = bound.AddressFamily;
        var candidate = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == family && !a.IsIPv6LinkLocal);
        return candidate ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback);
    }
}
