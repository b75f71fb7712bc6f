using System.Net;
using System.Net.Sockets;
using Intake.Media.Codecs;
using Intake.Media.Recording;
using Intake.Media.Relay;
using Intake.Media.Rtp;

namespace Intake.Media.Benchmarks;

/// <summary>
/// phone A → caller leg → relay → operator leg → phone B, all on 127.0.0.1. Phone A and B
/// are plain sockets driven synchronously by the benchmark thread.
/// </summary>
internal sealed class LoopbackRelayRig : IAsyncDisposable
{
    private readonly byte[] _packet = new byte[12 + 160];
    private readonly byte[] _receive = new byte[2048];
    private readonly EndPoint _callerLegEndPoint;
    private readonly SocketAddress _callerLegAddress;
    private readonly SocketAddress _from;
    private ushort _seq;
    private uint _ts;

    private LoopbackRelayRig(MediaClock clock, RtpSession caller, RtpSession op, Socket phoneA, Socket phoneB, RtpRelay relay, CallRecorder? recorder)
    {
        Clock = clock;
        Caller = caller;
        Operator = op;
        PhoneA = phoneA;
        PhoneB = phoneB;
        Relay = relay;
        Recorder = recorder;
        _callerLegEndPoint = new IPEndPoint(IPAddress.Loopback, caller.LocalPort);
        _callerLegAddress = _callerLegEndPoint.Serialize();
        _from = new SocketAddress(AddressFamily.InterNetwork);
    }

    public MediaClock Clock { get; }

    public RtpSession Caller { get; }

    public RtpSession Operator { get; }

    public Socket PhoneA { get; }

    public Socket PhoneB { get; }

    public RtpRelay Relay { get; }

    public CallRecorder? Recorder { get; }

    public static LoopbackRelayRig Create(int portBase, bool transcode, string? recordingDirectory, Intake.Media.Io.DatagramReactor? reactor = null)
    {
        var clock = new MediaClock(TimeProvider.System);
        var pool = new RtpPortPool(portBase, portBase + 99);
        var options = reactor is null ? null : new RtpSessionOptions { Reactor = reactor };
        if (!RtpSession.TryOpen(pool, IPAddress.Loopback, clock, options, null, out var caller) ||
            !RtpSession.TryOpen(pool, IPAddress.Loopback, clock, options, null, out var op))
        {
            throw new InvalidOperationException("No RTP ports free near " + portBase);
        }

        var phoneA = Bind();
        var phoneB = Bind();
        phoneB.ReceiveTimeout = 2000;
        caller!.SetRemote((IPEndPoint)phoneA.LocalEndPoint!);
        caller.SetPayloadFormat(AudioEncoding.Pcmu, 0, 101, 101);
        op!.SetRemote((IPEndPoint)phoneB.LocalEndPoint!);
        var opEncoding = transcode ? AudioEncoding.Pcma : AudioEncoding.Pcmu;
        op.SetPayloadFormat(opEncoding, (byte)opEncoding, 101, 101);
        var relay = new RtpRelay(caller, op);
        CallRecorder? recorder = null;
        if (recordingDirectory is not null)
        {
            recorder = CallRecorder.Start(recordingDirectory, "bench-" + Guid.NewGuid().ToString("N"), TimeProvider.System, new CallRecorderOptions { QueueCapacity = 8192 });
            recorder.AttachTo(caller);
        }

        caller.Start();
        op.Start();
        return new LoopbackRelayRig(clock, caller, op, phoneA, phoneB, relay, recorder);
    }

    public static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    /// <summary>Sends <paramref name="count"/> packets from phone A, then reads as many at phone B.</summary>
    public int Burst(int count)
    {
        for (var i = 0; i < count; i++)
        {
            new RtpHeader(false, 0, _seq++, _ts += 160, 0x5EED).WriteTo(_packet);
            PhoneA.SendTo(_packet, SocketFlags.None, _callerLegAddress);
        }

        var received = 0;
        try
        {
            for (; received < count; received++)
            {
                PhoneB.ReceiveFrom(_receive, SocketFlags.None, _from);
            }
        }
        catch (SocketException)
        {
            // Timeout: a datagram was lost on loopback (socket buffer); reported as loss.
        }

        return received;
    }

    public async ValueTask DisposeAsync()
    {
        Relay.Dispose();
        if (Recorder is not null)
        {
            Recorder.DetachFrom(Caller);
            await Recorder.CompleteAsync();
        }

        await Caller.DisposeAsync();
        await Operator.DisposeAsync();
        PhoneA.Dispose();
        PhoneB.Dispose();
        Clock.Dispose();
    }
}
