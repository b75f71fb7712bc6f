using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Intake.Server.Tests.Integration;

/// <summary>One RTP packet as a test's own socket saw it, with its arrival time after the first packet.</summary>
public sealed record ReceivedRtp(TimeSpan At, bool Marker, byte PayloadType, ushort Sequence, uint Timestamp, uint Ssrc);

/// <summary>
/// A loopback UDP port that stands in for a caller's RTP port. It receives on a thread of its own with blocking
/// reads, so arrival times do not depend on how busy the test process's thread pool is.
/// </summary>
public sealed class RtpListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public RtpListener()
    {
        Port = FreePorts.Next(evenPair: true);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, Port));
        _socket.ReceiveTimeout = 100;
    }

    public int Port { get; }

    /// <summary>Waits up to <paramref name="firstPacketTimeout"/> for a packet, then keeps every packet for <paramref name="window"/>.</summary>
    public Task<IReadOnlyList<ReceivedRtp>> CaptureAsync(TimeSpan window, TimeSpan firstPacketTimeout)
    {
        var done = new TaskCompletionSource<IReadOnlyList<ReceivedRtp>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(Capture(window, firstPacketTimeout));
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "rtp-listener",
        };
        thread.Start();
        return done.Task;
    }

    private List<ReceivedRtp> Capture(TimeSpan window, TimeSpan firstPacketTimeout)
    {
        var packets = new List<ReceivedRtp>();
        var buffer = new byte[2048];
        var waiting = Stopwatch.StartNew();
        long first = 0;
        while (packets.Count < 5000)
        {
            var now = Stopwatch.GetTimestamp();
            if (first == 0 ? waiting.Elapsed > firstPacketTimeout : Stopwatch.GetElapsedTime(first, now) > window)
            {
                break;
            }

            int length;
            try
            {
                length = _socket.Receive(buffer);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionReset)
            {
                continue;
            }

            var arrival = Stopwatch.GetTimestamp();
            if (length < 12 || buffer[0] >> 6 != 2)
            {
                continue;
            }

            if (first == 0)
            {
                first = arrival;
            }

            var at = Stopwatch.GetElapsedTime(first, arrival);
            if (at > window)
            {
                break;
            }

            packets.Add(new ReceivedRtp(at, (buffer[1] & 0x80) != 0, (byte)(buffer[1] & 0x7F),
                BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)), BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)),
                BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(8))));
        }

        return packets;
    }

    public void Dispose() => _socket.Dispose();
}
