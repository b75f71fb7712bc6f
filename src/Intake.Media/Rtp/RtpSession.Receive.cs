using System.Net;
using System.Net.Sockets;
using Intake.Media.Codecs;

namespace Intake.Media.Rtp;

/// <summary>Receive side of the session: the socket loops, RTP validation, latching and dispatch.</summary>
public sealed partial class RtpSession
{
    private async Task ReceiveLoopAsync(Socket socket, DatagramSink sink)
    {
        // One buffer and one SocketAddress per loop, reused for every datagram. No token is
        // passed: closing the socket ends the pending receive, and a token registration per
        // call would cost an allocation.
        var buffer = GC.AllocateUninitializedArray<byte>(ReceiveBufferBytes, pinned: true);
        var from = new SocketAddress(socket.AddressFamily);
        var errors = 0;
        while (Volatile.Read(ref _disposed) == 0)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from).ConfigureAwait(false);
                errors = 0;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                if (Volatile.Read(ref _disposed) != 0 || ++errors >= MaxConsecutiveSocketErrors)
                {
                    return;
                }

                Log.ReceiveError(_logger, LocalPort, ex.SocketErrorCode);
                continue;
            }

            try
            {
                sink.OnDatagram(buffer.AsSpan(0, received), from);
            }
            catch (Exception ex)
            {
                // A handler bug must cost one packet, not the call's media.
                Log.HandlerFailed(_logger, LocalPort, ex);
            }
        }
    }

    /// <summary>Where this session's RTP or RTCP datagrams go, from the reactor or from the session's own loop.</summary>
    private sealed class DatagramSink(RtpSession session, bool rtcp) : Io.IDatagramSink
    {
        public void OnDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
        {
            if (Volatile.Read(ref session._disposed) != 0)
            {
                return;
            }

            if (rtcp)
            {
                session.OnRtcpDatagram(datagram, from);
            }
            else
            {
                session.OnRtpDatagram(datagram, from);
            }
        }
    }

    private void OnRtpDatagram(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        if (!RtpHeader.TryParse(datagram, out var header, out _))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }

        if (!AcceptSource(from))
        {
            Interlocked.Increment(ref _unexpectedSource);
            return;
        }

        var isTelephoneEvent = header.PayloadType == _telephoneEventPayloadType;
        AudioEncoding encoding;
        switch (header.PayloadType)
        {
            case (byte)AudioEncoding.Pcmu:
                encoding = AudioEncoding.Pcmu;
                break;
            case (byte)AudioEncoding.Pcma:
                encoding = AudioEncoding.Pcma;
                break;
            default:
                if (!isTelephoneEvent)
                {
                    Interlocked.Increment(ref _unknownPayloadType);
                    return;
                }

                encoding = Outbound.Encoding;
                break;
        }

        var now = _timeProvider.GetTimestamp();
        var payload = header.GetPayload(datagram);
        RtpPacketOutcome outcome;
        lock (_gate)
        {
            _lastActivity = now;
            var arrival = _timeProvider.GetElapsedTime(_created, now).Ticks * G711.ClockRate / TimeSpan.TicksPerSecond;
            outcome = _statistics.Update(header.Ssrc, header.SequenceNumber, header.Timestamp, arrival, !isTelephoneEvent);
            if (outcome is RtpPacketOutcome.Duplicate or RtpPacketOutcome.Discarded)
            {
                return;
            }

            PacketsReceived++;
            _bytesReceived += payload.Length;
        }

        if (isTelephoneEvent)
        {
            if (_dtmf.TryDetect(header.Ssrc, header.Timestamp, payload, out var dtmf))
            {
                DtmfReceived?.Invoke(this, dtmf);
            }
        }
        else
        {
            Tap?.OnReceived(header.Ssrc, header.Timestamp, encoding, payload, now);
        }

        PacketReceived?.Invoke(this, in header, payload);
    }

    private bool AcceptSource(SocketAddress from)
    {
        var latched = Volatile.Read(ref _latchedAddress);
        if (latched is not null)
        {
            return latched.Equals(from);
        }

        if (_options.LatchMode == RtpLatchMode.Off)
        {
            return true;
        }

        // Before latching: materialize the endpoint once to compare the IP (only the first
        // packets of a call take this path).
        var endPoint = ToEndPoint(from);
        lock (_gate)
        {
            if (_options.LatchMode == RtpLatchMode.ExpectedAddress && _expectedAddress is not null && !_expectedAddress.Equals(endPoint.Address))
            {
                return false;
            }

            var copy = endPoint.Serialize();
            _latchedAddress = copy;
            RemoteEndPoint = endPoint;
            Volatile.Write(ref _sendAddress, copy);
        }

        Log.Latched(_logger, LocalPort, endPoint);
        return true;
    }

    private static IPEndPoint ToEndPoint(SocketAddress address) =>
        (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);
}
