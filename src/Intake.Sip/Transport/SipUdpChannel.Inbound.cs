using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>The part of the UDP channel between the socket and the handler: admission, the two queues, processing.</summary>
internal sealed partial class SipUdpChannel
{
    private static readonly TimeSpan ShedLogInterval = TimeSpan.FromSeconds(10);

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

            try
            {
                await _handler(new SipInboundMessage(next.Buffer.AsMemory(0, next.Length), next.Remote, LocalEndPoint, 0)).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.UdpHandlerFailed(ex, next.Remote, LocalEndPoint);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(next.Buffer);
            }
        }
    }

    private void ReturnQueued()
    {
        while (_queue.TryDequeue(out var left, out _))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }
    }

    /// <summary>A received datagram copied out of the receive buffer into a pooled array, waiting for the processing loop.</summary>
    private readonly record struct QueuedDatagram(byte[] Buffer, int Length, SipEndPoint Remote);
}
