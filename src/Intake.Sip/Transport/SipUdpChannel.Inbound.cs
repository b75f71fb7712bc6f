using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>The part of the UDP channel between the socket and the handler: admission, the two queues, processing.</summary>
internal sealed partial class SipUdpChannel
{
    private static readonly TimeSpan ShedLogInterval = TimeSpan.FromSeconds(10);

    // Datagrams of one call waiting for its worker: past this the call's handler is stuck and more of its
    // retransmissions would only take memory.
    private const int MaxFollowingPerCall = 64;

    private readonly Lock _callsGate = new();

    // Calls being handled by a worker, with the datagrams of the same call that arrived meanwhile (null: none yet).
    private readonly Dictionary<ulong, Queue<QueuedDatagram>?> _callsInHand = [];

    /// <summary>
    /// Sorts one received datagram and queues a copy of it (the receive buffer is reused at once). False when it is
    /// high priority and the high queue is full: <paramref name="blocked"/> then holds the copy to queue once there is room.
    /// </summary>
    private bool TryAdmit(ReadOnlySpan<byte> datagram, SipEndPoint remote, out QueuedDatagram blocked)
    {
        blocked = default;
        var startLine = SipStartLinePeek.Read(datagram);
        SipInboundPriority priority;
        try
        {
            priority = _classifier.Classify(remote, startLine);
        }
        catch (Exception ex)
        {
            // A broken policy must not stop the socket; the message is treated as ordinary work.
            _logger.ClassifierFailed(ex, remote);
            priority = SipInboundPriority.Low;
        }

        if (priority == SipInboundPriority.Discard)
        {
            return true;
        }

        if (priority is not (SipInboundPriority.High or SipInboundPriority.Normal))
        {
            // Unknown values count as low: only what the policy marks high may hold up the receive loop.
            priority = SipInboundPriority.Low;
        }

        var copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(copy);
        var queued = new QueuedDatagram(copy, datagram.Length, remote);
        if (priority != SipInboundPriority.High)
        {
            if (!(priority == SipInboundPriority.Normal ? _queue.TryEnqueueNormal(queued) : _queue.TryEnqueueLow(queued)))
            {
                ArrayPool<byte>.Shared.Return(copy);
                Shed(remote, startLine);
            }

            return true;
        }

        if (_queue.TryEnqueueHigh(queued))
        {
            return true;
        }

        blocked = queued;
        return false;
    }

    /// <summary>Queues a high-priority datagram that found the queue full; false when the channel stopped first.</summary>
    private async ValueTask<bool> WaitForHighRoomAsync(QueuedDatagram queued, CancellationToken cancellationToken)
    {
        // Never dropped: receiving pauses instead, and the socket buffer absorbs (or the kernel drops) what comes meanwhile.
        _logger.UdpHighQueueFull(LocalEndPoint);
        try
        {
            await _queue.EnqueueHighAsync(queued, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            ArrayPool<byte>.Shared.Return(queued.Buffer);
            return false;
        }
    }

    private void Shed(SipEndPoint remote, SipStartLinePeek startLine)
    {
        try
        {
            _classifier.OnShed(remote, startLine);
        }
        catch (Exception ex)
        {
            _logger.ClassifierFailed(ex, remote);
        }

        if (_shedLog.TryEnter(out var shed))
        {
            _logger.UdpQueueShed(shed, LocalEndPoint, remote, ShedLogInterval);
        }
    }

    /// <summary>
    /// One of the channel's processing workers. Each takes the next datagram by priority; a datagram whose call (its
    /// Call-ID, <see cref="SipCallIdPeek"/>) is being handled by another worker is handed to that worker instead, which
    /// handles its call's datagrams in arrival order before taking new work. So every call's messages are handled one
    /// at a time and in order, while a slow handler (a disk stall opening a recording) holds up only its own call.
    /// </summary>
    private async Task ProcessLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            QueuedDatagram next;
            try
            {
                (next, _) = await _queue.DequeueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var key = SipCallIdPeek.KeyOf(next.Buffer.AsSpan(0, next.Length));
            if (!TryClaim(key, next))
            {
                continue;
            }

            while (true)
            {
                await HandleAsync(next).ConfigureAwait(false);
                if (!TryTakeFollowing(key, out next))
                {
                    break;
                }
            }

            // Under a flood every await above completes at once and a worker would keep its thread for as long as the
            // queue holds work; with several workers that is every thread-pool thread of a small machine, and the
            // receive loop (and every timer) would wait for the pool to grow (0.4 s measured). Giving the thread back
            // after each call keeps the receive loop reading.
            await Task.Yield();
        }
    }

    /// <summary>True when the caller now owns <paramref name="key"/>; false when another worker does and took the datagram.</summary>
    private bool TryClaim(ulong key, QueuedDatagram datagram)
    {
        lock (_callsGate)
        {
            if (!_callsInHand.TryGetValue(key, out var following))
            {
                _callsInHand[key] = null;
                return true;
            }

            following ??= _callsInHand[key] = new Queue<QueuedDatagram>();
            if (following.Count < MaxFollowingPerCall)
            {
                following.Enqueue(datagram);
                return false;
            }
        }

        // A call whose handler is stuck while its peer keeps retransmitting: the datagram goes, as a full queue's would.
        var startLine = SipStartLinePeek.Read(datagram.Buffer.AsSpan(0, datagram.Length));
        ArrayPool<byte>.Shared.Return(datagram.Buffer);
        Shed(datagram.Remote, startLine);
        return false;
    }

    /// <summary>The next datagram of the owned call, or false (and the call is released) when none waits.</summary>
    private bool TryTakeFollowing(ulong key, out QueuedDatagram datagram)
    {
        lock (_callsGate)
        {
            if (_callsInHand[key] is { Count: > 0 } following)
            {
                datagram = following.Dequeue();
                return true;
            }

            _callsInHand.Remove(key);
        }

        datagram = default;
        return false;
    }

    private async ValueTask HandleAsync(QueuedDatagram datagram)
    {
        try
        {
            await _handler(new SipInboundMessage(datagram.Buffer.AsMemory(0, datagram.Length), datagram.Remote, LocalEndPoint, 0)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.UdpHandlerFailed(ex, datagram.Remote, LocalEndPoint);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(datagram.Buffer);
        }
    }

    private void ReturnQueued()
    {
        while (_queue.TryDequeue(out var left, out _))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        lock (_callsGate)
        {
            foreach (var following in _callsInHand.Values)
            {
                while (following?.TryDequeue(out var left) == true)
                {
                    ArrayPool<byte>.Shared.Return(left.Buffer);
                }
            }

            _callsInHand.Clear();
        }
    }

    /// <summary>A received datagram copied out of the receive buffer into a pooled array, waiting for the processing loop.</summary>
    private readonly record struct QueuedDatagram(byte[] Buffer, int Length, SipEndPoint Remote);
}
