using Intake.Media.Codecs;

namespace Intake.Media.Rtp;

/// <summary>
/// The one RTP stream a session sends: a fixed SSRC with sequence numbers and timestamps
/// that stay continuous whoever feeds it — the relay (rewriting the other leg's packets) or
/// a prompt player (generated frames). Only the current <see cref="Owner"/> may send; a
/// change of owner starts a new segment whose first packet carries the marker bit and whose
/// timestamp follows the wall clock since the last packet. Thread-safe (one short lock).
/// </summary>
public sealed class RtpOutboundStream
{
    private const int MaxPacket = 1500;
    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[MaxPacket];
    private readonly IRtpPacketTransmitter _transmitter;
    private readonly TimeProvider _timeProvider;
    private object? _owner;
    private bool _started;
    private bool _segmentStart = true;
    private ushort _lastSeq;
    private uint _lastTs;
    private int _lastSamples = G711.SamplesPerFrame;
    private long _lastSendTimestamp;
    private bool _relayAnchored;
    private uint _relaySsrc;
    private ushort _seqOffset;
    private uint _tsOffset;

    /// <summary>Creates a stream with a random SSRC, sequence and timestamp origin (RFC 3550 §5.1).</summary>
    public RtpOutboundStream(IRtpPacketTransmitter transmitter, TimeProvider timeProvider, AudioEncoding encoding = AudioEncoding.Pcmu)
        : this(transmitter, timeProvider, (uint)Random.Shared.NextInt64(1, uint.MaxValue), (ushort)Random.Shared.Next(0, 65536), (uint)Random.Shared.NextInt64(0, uint.MaxValue), encoding)
    {
    }

    /// <summary>Creates a stream with explicit origins (tests, benchmarks).</summary>
    public RtpOutboundStream(IRtpPacketTransmitter transmitter, TimeProvider timeProvider, uint ssrc, ushort initialSequence, uint initialTimestamp, AudioEncoding encoding = AudioEncoding.Pcmu)
    {
        _transmitter = transmitter;
        _timeProvider = timeProvider;
        Ssrc = ssrc;
        _lastSeq = (ushort)(initialSequence - 1);
        _lastTs = initialTimestamp - G711.SamplesPerFrame;
        Encoding = encoding;
        PayloadType = (byte)encoding;
    }

    /// <summary>Our SSRC.</summary>
    public uint Ssrc { get; }

    /// <summary>Audio encoding sent to the peer.</summary>
    public AudioEncoding Encoding { get; private set; }

    /// <summary>Payload type number of the audio encoding towards the peer.</summary>
    public byte PayloadType { get; private set; }

    /// <summary>Payload type of telephone-event towards the peer, if negotiated.</summary>
    public byte? TelephoneEventPayloadType { get; private set; }

    /// <summary>When false, packets are accounted as suppressed instead of sent (peer is on hold / inactive).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Who may send now (a relay direction or a prompt player).</summary>
    public object? Owner => Volatile.Read(ref _owner);

    /// <summary>Packets sent.</summary>
    public long PacketsSent { get; private set; }

    /// <summary>Payload octets sent.</summary>
    public long OctetsSent { get; private set; }

    /// <summary>Packets dropped because the sender was not the owner, the stream was disabled or the socket refused.</summary>
    public long PacketsSuppressed { get; private set; }

    /// <summary>Optional observer of sent audio (the recorder's right channel).</summary>
    public IRtpMediaTap? Tap { get; set; }

    /// <summary>Sets the negotiated format towards the peer.</summary>
    public void SetFormat(AudioEncoding encoding, byte payloadType, byte? telephoneEventPayloadType)
    {
        lock (_gate)
        {
            Encoding = encoding;
            PayloadType = payloadType;
            TelephoneEventPayloadType = telephoneEventPayloadType;
        }
    }

    /// <summary>Gives the stream to <paramref name="owner"/>; its first packet starts a new segment.</summary>
    public void SwitchOwner(object? owner)
    {
        lock (_gate)
        {
            _owner = owner;
            _segmentStart = true;
            _relayAnchored = false;
        }
    }

    /// <summary>
    /// Sends a generated audio frame (encoded in <see cref="Encoding"/>) carrying
    /// <paramref name="samples"/> samples. False when <paramref name="owner"/> is not the owner.
    /// </summary>
    public bool SendFrame(object owner, ReadOnlySpan<byte> payload, int samples)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(owner, _owner) || payload.Length > MaxPacket - RtpHeader.FixedSize)
            {
                PacketsSuppressed++;
                return false;
            }

            var now = _timeProvider.GetTimestamp();
            var marker = _segmentStart;
            var ts = _segmentStart ? SegmentTimestamp(now) : _lastTs + (uint)_lastSamples;
            var seq = (ushort)(_lastSeq + 1);
            _segmentStart = false;
            new RtpHeader(marker, PayloadType, seq, ts, Ssrc).WriteTo(_buffer);
            payload.CopyTo(_buffer.AsSpan(RtpHeader.FixedSize));
            return Transmit(seq, ts, samples, now, payload.Length, Encoding, isAudio: true);
        }
    }

    /// <summary>
    /// Forwards a packet of the other leg: its sequence and timestamp are shifted onto this
    /// stream (offsets fixed at the start of a segment or when the incoming SSRC changes, so
    /// loss, reordering and DTMF timestamps of the source are preserved), the payload type is
    /// replaced by <paramref name="payloadType"/> and the payload transformed.
    /// </summary>
    public bool SendRelayed(object owner, in RtpHeader source, ReadOnlySpan<byte> payload, byte payloadType, PayloadTransform transform, bool isAudio)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(owner, _owner) || payload.Length > MaxPacket - RtpHeader.FixedSize)
            {
                PacketsSuppressed++;
                return false;
            }

            var now = _timeProvider.GetTimestamp();
            var marker = source.Marker;
            if (!_relayAnchored || source.Ssrc != _relaySsrc)
            {
                var ts = SegmentTimestamp(now);
                _seqOffset = (ushort)(_lastSeq + 1 - source.SequenceNumber);
                _tsOffset = ts - source.Timestamp;
                _relaySsrc = source.Ssrc;
                _relayAnchored = true;
                marker |= isAudio;
            }

            _segmentStart = false;
            var seq = (ushort)(source.SequenceNumber + _seqOffset);
            var outTs = source.Timestamp + _tsOffset;
            new RtpHeader(marker, payloadType, seq, outTs, Ssrc).WriteTo(_buffer);
            var body = _buffer.AsSpan(RtpHeader.FixedSize, payload.Length);
            switch (transform)
            {
                case PayloadTransform.PcmuToPcma:
                    G711.Transcode(AudioEncoding.Pcmu, AudioEncoding.Pcma, payload, body);
                    break;
                case PayloadTransform.PcmaToPcmu:
                    G711.Transcode(AudioEncoding.Pcma, AudioEncoding.Pcmu, payload, body);
                    break;
                default:
                    payload.CopyTo(body);
                    break;
            }

            return Transmit(seq, outTs, isAudio ? payload.Length : G711.SamplesPerFrame, now, payload.Length, Encoding, isAudio);
        }
    }

    /// <summary>Values for an RTCP SR: RTP timestamp corresponding to <paramref name="now"/>, packets and octets.</summary>
    public (uint RtpTimestamp, uint Packets, uint Octets, bool HasSent) GetSenderState(long now)
    {
        lock (_gate)
        {
            var elapsed = _started ? _timeProvider.GetElapsedTime(_lastSendTimestamp, now) : TimeSpan.Zero;
            var ts = _lastTs + (uint)(elapsed.Ticks * G711.ClockRate / TimeSpan.TicksPerSecond);
            return (ts, unchecked((uint)PacketsSent), unchecked((uint)OctetsSent), _started);
        }
    }

    private uint SegmentTimestamp(long now)
    {
        if (!_started)
        {
            return _lastTs + (uint)_lastSamples;
        }

        // Keep the RTP clock in step with real time across the gap, never going backwards
        // and never closer than one frame to the previous packet.
        var elapsed = _timeProvider.GetElapsedTime(_lastSendTimestamp, now);
        var samples = Math.Max(_lastSamples, elapsed.Ticks * G711.ClockRate / TimeSpan.TicksPerSecond);
        return _lastTs + (uint)Math.Min(samples, int.MaxValue);
    }

    private bool Transmit(ushort seq, uint ts, int samples, long now, int payloadLength, AudioEncoding encoding, bool isAudio)
    {
        // Sequence and timestamp move on even when nothing is sent (hold, socket error) so the
        // peer sees loss rather than a discontinuity.
        if (!_started || RtpSequenceMath.IsNewerSequence(seq, _lastSeq))
        {
            _lastSeq = seq;
        }

        if (!_started || RtpSequenceMath.IsNewerTimestamp(ts, _lastTs))
        {
            _lastTs = ts;
            _lastSamples = samples > 0 ? samples : G711.SamplesPerFrame;
            _lastSendTimestamp = now;
        }

        _started = true;
        if (!Enabled || !_transmitter.TrySend(_buffer.AsSpan(0, RtpHeader.FixedSize + payloadLength)))
        {
            PacketsSuppressed++;
            return false;
        }

        PacketsSent++;
        OctetsSent += payloadLength;
        if (isAudio)
        {
            Tap?.OnSent(Ssrc, ts, encoding, _buffer.AsSpan(RtpHeader.FixedSize, payloadLength), now);
        }

        return true;
    }
}
