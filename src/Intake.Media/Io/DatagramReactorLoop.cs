using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;

namespace Intake.Media.Io;

/// <summary>
/// One thread, one epoll set: waits for any of its sockets to be readable, reads one datagram from each ready socket
/// and hands it to the socket's sink, then waits again. Level-triggered, so a socket with more queued gets its next
/// datagram on the next round and a busy stream cannot starve the others. Registration may happen from any thread;
/// removal is carried out on this thread between rounds, so a descriptor is never read after it was given back.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed unsafe class DatagramReactorLoop : IDisposable
{
    private const int MaxEvents = 256;
    private const int BufferBytes = 2048;
    private const int Batch = 16;
    private const int AddressStride = 32;
    private const int WaitTimeoutMilliseconds = 1000;
    private const ulong WakeToken = ulong.MaxValue;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<DatagramRegistration> _removals = new();
    private readonly Stack<int> _freeSlots = new();
    private DatagramRegistration?[] _slots = new DatagramRegistration?[64];
    private int _nextSlot;
    private volatile bool _stopping;
    private bool _stopped;
    private long _datagrams;
    private long _rounds;

    public DatagramReactorLoop(string name, ILogger logger)
    {
        _logger = logger;
        _epoll = LinuxSockets.EpollCreate(LinuxSockets.EpollCloexec);
        if (_epoll < 0)
        {
            throw new SocketException(Marshal.GetLastPInvokeError());
        }

        _wake = LinuxSockets.EventFd(0, LinuxSockets.EfdCloexec | LinuxSockets.EfdNonblock);
        if (_wake < 0 || LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlAdd, _wake, LinuxSockets.EpollIn, WakeToken) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            LinuxSockets.Close(_epoll);
            throw new SocketException(error);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Datagrams delivered by this thread.</summary>
    public long Datagrams => Interlocked.Read(ref _datagrams);

    /// <summary>epoll_wait rounds that returned work; Datagrams / Rounds is the batching achieved.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    public DatagramRegistration Register(Socket socket, IDatagramSink sink)
    {
        socket.Blocking = false;
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        DatagramRegistration registration;
        lock (_gate)
        {
            if (_stopped)
            {
                handle.DangerousRelease();
                throw new ObjectDisposedException(nameof(DatagramReactor));
            }

            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _nextSlot++;
            registration = new DatagramRegistration(this, slot, (int)handle.DangerousGetHandle(), handle, sink);
            var slots = _slots;
            if (slot >= slots.Length)
            {
                Array.Resize(ref slots, slots.Length * 2);
            }

            slots[slot] = registration;
            Volatile.Write(ref _slots, slots);
            if (LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlAdd, registration.Descriptor, LinuxSockets.EpollIn, (ulong)slot) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                slots[slot] = null;
                _freeSlots.Push(slot);
                handle.DangerousRelease();
                throw new SocketException(error);
            }
        }

        return registration;
    }

    internal void RequestRemoval(DatagramRegistration registration)
    {
        lock (_gate)
        {
            if (!_stopped)
            {
                _removals.Enqueue(registration);
                Wake();
                return;
            }
        }

        registration.Release();
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        Wake();
        _thread.Join();
        lock (_gate)
        {
            _stopped = true;
            foreach (var registration in _slots)
            {
                registration?.Release();
            }

            Array.Clear(_slots);
            while (_removals.TryDequeue(out _))
            {
                // Already released with its slot above.
            }
        }

        LinuxSockets.Close(_wake);
        LinuxSockets.Close(_epoll);
    }

    private void Wake()
    {
        ulong one = 1;
        LinuxSockets.Write(_wake, (byte*)&one, sizeof(ulong));
    }

    private void Run()
    {
        var events = GC.AllocateUninitializedArray<byte>(MaxEvents * LinuxSockets.EpollEventSize, pinned: true);
        var buffers = GC.AllocateUninitializedArray<byte>(Batch * BufferBytes, pinned: true);
        var addresses = GC.AllocateArray<byte>(Batch * AddressStride, pinned: true);
        var messages = GC.AllocateArray<byte>(Batch * LinuxSockets.MmsgSize, pinned: true);
        var iovecs = GC.AllocateArray<byte>(Batch * LinuxSockets.IovecSize, pinned: true);

        // SocketAddress equality compares whole buffers, so the sender is handed over in an address of its own family's
        // size (what IPEndPoint.Serialize gives, which is what sessions latch on).
        var from4 = new SocketAddress(AddressFamily.InterNetwork);
        var from6 = new SocketAddress(AddressFamily.InterNetworkV6);
        fixed (byte* eventsPtr = events)
        fixed (byte* buffersPtr = buffers)
        fixed (byte* addressesPtr = addresses)
        fixed (byte* messagesPtr = messages)
        fixed (byte* iovecsPtr = iovecs)
        {
            for (var m = 0; m < Batch; m++)
            {
                LinuxSockets.PrepareMessage(messagesPtr, iovecsPtr, m, buffersPtr + (m * BufferBytes), BufferBytes, addressesPtr + (m * AddressStride), AddressStride);
            }

            var batch = new ReceiveBatch(messagesPtr, buffers, addresses, from4, from6);
            using var sends = new DatagramSendBatch(_logger);
            sends.Install();
            while (!_stopping)
            {
                var ready = LinuxSockets.EpollWait(_epoll, eventsPtr, MaxEvents, WaitTimeoutMilliseconds);
                if (ready < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error != LinuxSockets.Eintr)
                    {
                        ReactorLog.WaitFailed(_logger, error);
                        Thread.Sleep(10);
                    }

                    continue;
                }

                if (ready > 0)
                {
                    Interlocked.Increment(ref _rounds);
                }

                var slots = Volatile.Read(ref _slots);
                for (var i = 0; i < ready; i++)
                {
                    var data = *(ulong*)(eventsPtr + (i * LinuxSockets.EpollEventSize) + LinuxSockets.EpollDataOffset);
                    if (data == WakeToken)
                    {
                        ulong drained;
                        LinuxSockets.Read(_wake, (byte*)&drained, sizeof(ulong));
                        continue;
                    }

                    if (data >= (ulong)slots.Length)
                    {
                        slots = Volatile.Read(ref _slots);
                        if (data >= (ulong)slots.Length)
                        {
                            continue;
                        }
                    }

                    if (slots[(int)data] is { IsClosing: false } registration)
                    {
                        Receive(registration, batch);
                        sends.Flush();
                    }
                }

                ApplyRemovals();
            }
        }
    }

    /// <summary>
    /// Everything queued on the socket, up to <see cref="Batch"/> datagrams, in one recvmmsg: a stream that fell behind
    /// catches up without a wake-up per packet, and a socket with one datagram still costs one system call.
    /// </summary>
    private void Receive(DatagramRegistration registration, ReceiveBatch batch)
    {
        // Only the headers of received messages are written by the kernel: those get their address length back below.
        var count = LinuxSockets.RecvMmsg(registration.Descriptor, batch.Messages, Batch, LinuxSockets.MsgDontwait, null);
        if (count <= 0)
        {
            // Nothing queued (another round took it), or an error UDP reports per datagram: the next round retries.
            return;
        }

        registration.Datagrams += count;
        Interlocked.Add(ref _datagrams, count);
        for (var m = 0; m < count; m++)
        {
            var message = batch.Messages + (m * LinuxSockets.MmsgSize);
            var addressLength = *(uint*)(message + LinuxSockets.MmsgNameLengthOffset);
            *(uint*)(message + LinuxSockets.MmsgNameLengthOffset) = AddressStride;
            if (registration.IsClosing)
            {
                continue;
            }

            var length = (int)*(uint*)(message + LinuxSockets.MmsgLengthOffset);
            var from = addressLength <= (uint)batch.From4.Buffer.Length ? batch.From4 : batch.From6;
            var size = (int)Math.Min(addressLength, (uint)from.Buffer.Length);
            batch.Addresses.AsSpan(m * AddressStride, size).CopyTo(from.Buffer.Span);
            from.Size = size;
            try
            {
                registration.Sink.OnDatagram(batch.Buffers.AsSpan(m * BufferBytes, Math.Min(length, BufferBytes)), from);
            }
            catch (Exception ex)
            {
                // A sink's bug costs one datagram, never the thread every other call's media runs on.
                ReactorLog.SinkFailed(_logger, ex);
            }
        }
    }

    /// <summary>The thread's pinned receive state: message headers, their buffers and sender addresses.</summary>
    private sealed class ReceiveBatch(byte* messages, byte[] buffers, byte[] addresses, SocketAddress from4, SocketAddress from6)
    {
        public byte* Messages { get; } = messages;

        public byte[] Buffers { get; } = buffers;

        public byte[] Addresses { get; } = addresses;

        public SocketAddress From4 { get; } = from4;

        public SocketAddress From6 { get; } = from6;
    }

    private void ApplyRemovals()
    {
        while (_removals.TryDequeue(out var registration))
        {
            LinuxSockets.Control(_epoll, LinuxSockets.EpollCtlDel, registration.Descriptor, 0, 0);
            lock (_gate)
            {
                _slots[registration.Slot] = null;
                _freeSlots.Push(registration.Slot);
            }

            registration.Release();
        }
    }
}
