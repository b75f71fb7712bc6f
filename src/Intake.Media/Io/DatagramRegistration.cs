using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;

namespace Intake.Media.Io;

/// <summary>
/// A socket watched by a <see cref="DatagramReactor"/>. Disposing it stops delivery; the returned task completes once
/// the reactor thread has let go of the descriptor, and only then may the socket be closed (so the descriptor number
/// is never reused while the reactor could still read from it).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DatagramRegistration : IAsyncDisposable
{
    private readonly DatagramReactorLoop _loop;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposeRequested;
    private long _sendFailures;
    private int _handleReleased;

    internal DatagramRegistration(DatagramReactorLoop loop, int slot, int descriptor, SafeSocketHandle handle, IDatagramSink sink)
    {
        _loop = loop;
        Slot = slot;
        Descriptor = descriptor;
        Handle = handle;
        Sink = sink;
    }

    internal int Slot { get; }

    internal int Descriptor { get; }

    internal SafeSocketHandle Handle { get; }

    internal IDatagramSink Sink { get; }

    /// <summary>True once removal was asked for: the reactor delivers nothing more.</summary>
    internal bool IsClosing => Volatile.Read(ref _disposeRequested) != 0;

    /// <summary>Datagrams delivered to the sink (read and written on the reactor thread).</summary>
    public long Datagrams { get; internal set; }

    /// <summary>Datagrams the kernel refused when a reactor thread's batch was sent (full socket buffer): dropped.</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    internal void CountSendFailures(int datagrams) => Interlocked.Add(ref _sendFailures, datagrams);

    /// <summary>
    /// Sends one datagram on the registered socket without blocking (a full socket buffer drops it: media must not wait).
    /// False when it could not be sent or the socket is closed. Thread-safe; the socket handle is held for the call, so
    /// a concurrent close can never make it write to a reused descriptor. Called on a reactor thread (a relayed
    /// packet), the datagram joins that thread's send batch and leaves with the others when the received batch is
    /// done; a refusal then is counted in <see cref="SendFailures"/>.
    /// </summary>
    public unsafe bool TrySendTo(ReadOnlySpan<byte> datagram, SocketAddress target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (DatagramSendBatch.Current is { } batch && batch.TryAdd(this, datagram, target))
        {
            return true;
        }

        var added = false;
        try
        {
            Handle.DangerousAddRef(ref added);
            nint sent;
            fixed (byte* data = datagram)
            fixed (byte* address = target.Buffer.Span)
            {
                sent = LinuxSockets.SendTo(Descriptor, data, (nuint)datagram.Length, LinuxSockets.MsgDontwait | LinuxSockets.MsgNosignal, address, (uint)target.Size);
            }

            return sent == datagram.Length;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                Handle.DangerousRelease();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeRequested, 1) == 0)
        {
            _loop.RequestRemoval(this);
        }

        return new ValueTask(_released.Task);
    }

    /// <summary>Called once the descriptor is out of the epoll set: the socket may now be closed.</summary>
    internal void Release()
    {
        // Once: a reactor stopping and the owner disposing may both get here.
        if (Interlocked.Exchange(ref _handleReleased, 1) != 0)
        {
            return;
        }

        Handle.DangerousRelease();
        _released.TrySetResult();
    }
}
