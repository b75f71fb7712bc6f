using System.Net;
using System.Net.Sockets;
using Intake.Media.Codecs;
using Intake.Media.Rtcp;

namespace Intake.Media.Rtp;

/// <summary>RTCP side of the session: SR/RR every ~5 s, reports parsed for RTT and the peer's view of our stream.</summary>
public sealed partial class RtpSession
{
    private readonly RtcpReport _rtcpReport = new();
    private readonly byte[] _rtcpSendBuffer = new byte[128];
    private long _nextReport;
    private uint _lastSenderReportMiddle;
    private long _lastSenderReportArrival;
    private double? _roundTripMilliseconds;
    private double? _remoteLossPercent;
    private double? _remoteJitterMilliseconds;
    private SocketAddress? _latchedRtcp;

    /// <summary>RTCP compound packets received and parsed.</summary>
    public long RtcpPacketsReceived { get; private set; }

    /// <summary>RTCP reports sent.</summary>
    public long RtcpPacketsSent { get; private set; }

    private void ScheduleNextReport(long now)
    {
        // RFC 3550 §6.3.1: randomize to 0.5–1.5 of the interval so calls set up together do not report in lockstep.
        var interval = _options.RtcpInterval.Ticks * (0.5 + Random.Shared.NextDouble());
        _nextReport = now + (long)(interval * _timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond);
    }

    private void SendReportIfDue(long now)
    {
        if (now < _nextReport || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        ScheduleNextReport(now);
        var target = RtcpTarget();
        if (target is null)
        {
            return;
        }

        int length;
        lock (_gate)
        {
            length = RtcpCodec.WriteReport(_rtcpSendBuffer, Outbound.Ssrc, BuildSenderInfo(now), BuildReportBlock(now));
        }

        try
        {
            _rtcpSocket.SendTo(_rtcpSendBuffer.AsSpan(0, length), SocketFlags.None, target);
            RtcpPacketsSent++;
        }
        catch (SocketException)
        {
            // The peer may be gone; the inactivity timeout decides about the call.
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently.
        }
    }

    private RtcpSenderInfo? BuildSenderInfo(long now)
    {
        var (rtpTimestamp, packets, octets, hasSent) = Outbound.GetSenderState(now);
        return hasSent
            ? new RtcpSenderInfo(NtpTimestamp.FromDateTimeOffset(_timeProvider.GetUtcNow()), rtpTimestamp, packets, octets)
            : null;
    }

    private RtcpReportBlock? BuildReportBlock(long now)
    {
        if (!_statistics.HasSource)
        {
            return null;
        }

        var dlsr = _lastSenderReportMiddle == 0 ? 0 : NtpTimestamp.ToShortUnits(_timeProvider.GetElapsedTime(_lastSenderReportArrival, now));
        return new RtcpReportBlock(
            _statistics.Ssrc,
            _statistics.TakeFractionLost(),
            (int)Math.Clamp(_statistics.Lost, int.MinValue, int.MaxValue),
            unchecked((uint)_statistics.ExtendedHighestSequence),
            _statistics.Jitter,
            _lastSenderReportMiddle,
            dlsr);
    }

    private SocketAddress? RtcpTarget()
    {
        lock (_gate)
        {
            if (_latchedRtcp is not null)
            {
                return _latchedRtcp;
            }

            // Symmetric NAT: once RTP is latched, RTCP goes to the latched address, port + 1.
            if (_latchedAddress is not null && RemoteEndPoint is { } rtp)
            {
                return new IPEndPoint(rtp.Address, rtp.Port + 1).Serialize();
            }

            return _remoteRtcp?.Serialize();
        }
    }

    private void OnRtcpDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (!RtcpCodec.TryParse(datagram, _rtcpReport))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        var now = _timeProvider.GetTimestamp();
        lock (_gate)
        {
            RtcpPacketsReceived++;
            if (_latchedRtcp is null && _latchedAddress is not null)
            {
                var endPoint = ToEndPoint(from);
                if (RemoteEndPoint is { } rtp && rtp.Address.Equals(endPoint.Address))
                {
                    _latchedRtcp = endPoint.Serialize();
                }
            }

            if (_rtcpReport.HasSenderInfo)
            {
                _lastSenderReportMiddle = _rtcpReport.SenderInfo.NtpTime.Middle32;
                _lastSenderReportArrival = now;
            }

            var arrival = NtpTimestamp.FromDateTimeOffset(_timeProvider.GetUtcNow());
            foreach (var block in _rtcpReport.Blocks)
            {
                if (block.Ssrc != Outbound.Ssrc)
                {
                    continue;
                }

                _remoteLossPercent = block.FractionLost * 100.0 / 256.0;
                _remoteJitterMilliseconds = block.Jitter * 1000.0 / G711.ClockRate;
                if (block.RoundTrip(arrival) is { } rtt)
                {
                    _roundTripMilliseconds = NtpTimestamp.ShortUnitsToMilliseconds(rtt);
                }
            }
        }
    }

    private void SendGoodbye()
    {
        var target = RtcpTarget();
        if (target is null)
        {
            return;
        }

        try
        {
            var length = RtcpCodec.WriteGoodbye(_rtcpSendBuffer, Outbound.Ssrc);
            _rtcpSocket.SendTo(_rtcpSendBuffer.AsSpan(0, length), SocketFlags.None, target);
        }
        catch (SocketException)
        {
            // Best effort: the call is ending.
        }
    }
}
