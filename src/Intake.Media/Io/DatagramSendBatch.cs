using System.Net;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace Intake.Media.Io;

/// <summary>
/// Datagrams a reactor thread sends while handling one socket's receive batch, held until the batch is done and then
/// handed to the kernel with one <c>sendmmsg</c> per destination socket. A relayed call receives a few packets per
/// wake-up and sends every one of them out of the same socket to the same peer: one system call for all of them
/// instead of one each. Only the reactor thread that owns the batch touches it.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class DatagramSendBatch : IDisposable
{
    public const int Capacity = 32;
    public const int BufferBytes = 1500;
    private const int AddressStride = 32;

    // Well under any path MTU (1,280 on IPv6) with headers, so a segment never needs fragmenting; G.711 is 172 bytes.
    private const int MaxSegmentedDatagram = 1200;

    [ThreadStatic]
    private static DatagramSendBatch? t_current;

    private readonly byte* _buffers;
    private readonly byte* _addresses;
    private readonly byte* _messages;
    private readonly byte* _iovecs;
    private readonly ILogger _logger;
    private readonly bool _segmentation;
    private DatagramRegistration? _target;
    private bool _targetAdded;
    private int _count;

    /// <param name="logger">Where a refusal of segmentation offload is reported (once per process).</param>
    /// <param name="segmentation">False: never use UDP_SEGMENT (each datagram its own message), as after a refusal.</param>
    public DatagramSendBatch(ILogger logger, bool segmentation = true)
    {
        _logger = logger;
        _segmentation = segmentation;
        _buffers = (byte*)NativeMemory.AlignedAlloc(Capacity * BufferBytes, 64);
        _addresses = (byte*)NativeMemory.AlignedAlloc(Capacity * AddressStride, 64);
        _messages = (byte*)NativeMemory.AlignedAlloc(Capacity * LinuxSockets.MmsgSize, 64);
        _iovecs = (byte*)NativeMemory.AlignedAlloc(Capacity * LinuxSockets.IovecSize, 64);
        for (var m = 0; m < Capacity; m++)
        {
            LinuxSockets.PrepareMessage(_messages, _iovecs, m, _buffers + (m * BufferBytes), BufferBytes, _addresses + (m * AddressStride), AddressStride);
        }
    }

    /// <summary>The batch of the reactor thread running this code, while it handles received datagrams; else null.</summary>
    public static DatagramSendBatch? Current => t_current;

    /// <summary>Datagrams the kernel refused at a flush (full socket buffer, closed socket): dropped, as a failed send would be.</summary>
    public long Dropped { get; private set; }

    /// <summary>System calls made by flushes; datagrams sent per call is the batching achieved.</summary>
    public long SendCalls { get; private set; }

    /// <summary>Makes this the calling thread's batch (a reactor thread, for its whole life).</summary>
    public void Install() => t_current = this;

    /// <summary>
    /// Queues a copy of <paramref name="datagram"/> for <paramref name="registration"/>'s socket; false when it does
    /// not fit a slot (the caller sends it alone). A datagram for another socket first flushes what is queued, so
    /// datagrams leave each socket in the order they were queued.
    /// </summary>
    public bool TryAdd(DatagramRegistration registration, ReadOnlySpan<byte> datagram, SocketAddress target)
    {
        if (datagram.Length > BufferBytes || target.Size > AddressStride)
        {
            return false;
        }

        if (_count > 0 && (!ReferenceEquals(_target, registration) || _count == Capacity))
        {
            Flush();
        }

        if (_count == 0)
        {
            // Held until the flush, so the descriptor cannot be closed and reused while the datagram waits.
            var added = false;
            try
            {
                registration.Handle.DangerousAddRef(ref added);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            if (!added)
            {
                return false;
            }

            _target = registration;
            _targetAdded = true;
        }

        var slot = _count++;
        datagram.CopyTo(new Span<byte>(_buffers + (slot * BufferBytes), BufferBytes));
        target.Buffer.Span[..target.Size].CopyTo(new Span<byte>(_addresses + (slot * AddressStride), AddressStride));
        var message = _messages + (slot * LinuxSockets.MmsgSize);
        *(uint*)(message + LinuxSockets.MmsgNameLengthOffset) = (uint)target.Size;
        *(nuint*)(_iovecs + (slot * LinuxSockets.IovecSize) + 8) = (nuint)datagram.Length;
        return true;
    }

    /// <summary>Sends everything queued. A datagram the kernel refuses is dropped and the rest still go.</summary>
    public void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        var target = _target!;
        try
        {
            if (!_segmentation || s_segmentationRefused)
            {
                SendEach(target, 0, _count);
                return;
            }

            // Runs of equal-sized datagrams to one address (a relayed G.711 stream) go as one segmented send.
            var start = 0;
            while (start < _count)
            {
                var end = start + 1;
                while (end < _count && LengthOf(end) == LengthOf(start) && SameAddress(start, end))
                {
                    end++;
                }

                if (end - start == 1 || !TrySendSegmented(target, start, end))
                {
                    SendEach(target, start, end);
                }

                start = end;
            }
        }
        finally
        {
            _count = 0;
            _target = null;
            if (_targetAdded)
            {
                _targetAdded = false;
                target.Handle.DangerousRelease();
            }
        }
    }

    // Set once the kernel has refused UDP segmentation (an old kernel, a device that cannot compute UDP checksums,
    // IPsec): from then on every datagram is sent as its own message. Process-wide, as the cause is.
    private static volatile bool s_segmentationRefused;

    private uint LengthOf(int slot) => (uint)*(nuint*)(_iovecs + (slot * LinuxSockets.IovecSize) + 8);

    private bool SameAddress(int a, int b)
    {
        var length = *(uint*)(_messages + (a * LinuxSockets.MmsgSize) + LinuxSockets.MmsgNameLengthOffset);
        return length == *(uint*)(_messages + (b * LinuxSockets.MmsgSize) + LinuxSockets.MmsgNameLengthOffset) &&
            new ReadOnlySpan<byte>(_addresses + (a * AddressStride), (int)length).SequenceEqual(new ReadOnlySpan<byte>(_addresses + (b * AddressStride), (int)length));
    }

    private void SendEach(DatagramRegistration target, int start, int end)
    {
        // Bounded: every pass either sends at least one datagram or drops one.
        var sent = start;
        while (sent < end)
        {
            var result = LinuxSockets.SendMmsg(target.Descriptor, _messages + (sent * LinuxSockets.MmsgSize), (uint)(end - sent), LinuxSockets.MsgDontwait | LinuxSockets.MsgNosignal);
            SendCalls++;
            if (result > 0)
            {
                sent += result;
            }
            else
            {
                sent++;
                Dropped++;
                target.CountSendFailures(1);
            }
        }
    }

    /// <summary>
    /// One <c>sendmsg</c> carrying datagrams <paramref name="start"/>..<paramref name="end"/> with UDP_SEGMENT: the
    /// kernel builds and routes one buffer and cuts it into the original datagrams on the way out, so the receiver
    /// sees exactly the datagrams queued. False when segmentation is refused (nothing was sent).
    /// </summary>
    private bool TrySendSegmented(DatagramRegistration target, int start, int end)
    {
        var size = LengthOf(start);
        if (size > MaxSegmentedDatagram)
        {
            return false;
        }

        var first = _messages + (start * LinuxSockets.MmsgSize);
        var header = stackalloc byte[LinuxSockets.MsghdrSize];
        var control = stackalloc byte[LinuxSockets.CmsgHeaderSize + 8];
        new Span<byte>(control, LinuxSockets.CmsgHeaderSize + 8).Clear();
        *(nuint*)control = (nuint)(LinuxSockets.CmsgHeaderSize + sizeof(ushort));
        *(int*)(control + 8) = LinuxSockets.SolUdp;
        *(int*)(control + 12) = LinuxSockets.UdpSegment;
        *(ushort*)(control + LinuxSockets.CmsgHeaderSize) = (ushort)size;
        new Span<byte>(header, LinuxSockets.MsghdrSize).Clear();
        *(byte**)header = *(byte**)first;
        *(uint*)(header + 8) = *(uint*)(first + LinuxSockets.MmsgNameLengthOffset);
        *(byte**)(header + 16) = _iovecs + (start * LinuxSockets.IovecSize);
        *(nuint*)(header + 24) = (nuint)(end - start);
        *(byte**)(header + 32) = control;
        *(nuint*)(header + 40) = (nuint)(LinuxSockets.CmsgHeaderSize + 8);
        var result = LinuxSockets.SendMsg(target.Descriptor, header, LinuxSockets.MsgDontwait | LinuxSockets.MsgNosignal);
        SendCalls++;
        if (result >= 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        if (error is LinuxSockets.Eio or LinuxSockets.Einval or LinuxSockets.Enoprotoopt or LinuxSockets.Eopnotsupp)
        {
            if (!s_segmentationRefused)
            {
                s_segmentationRefused = true;
                ReactorLog.SegmentationRefused(_logger, error);
            }

            return false;
        }

        // Full socket buffer or a closed socket: the run is dropped, as each datagram alone would have been.
        Dropped += end - start;
        target.CountSendFailures(end - start);

        return true;
    }

    public void Dispose()
    {
        if (t_current == this)
        {
            t_current = null;
        }

        NativeMemory.AlignedFree(_buffers);
        NativeMemory.AlignedFree(_addresses);
        NativeMemory.AlignedFree(_messages);
        NativeMemory.AlignedFree(_iovecs);
    }
}
