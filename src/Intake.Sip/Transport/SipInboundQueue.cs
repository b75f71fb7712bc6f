namespace Intake.Sip.Transport;

/// <summary>
/// Three bounded FIFO queues between a receive loop and the loop that processes what it received: the processing side
/// always takes the oldest high-priority item first, then the oldest normal one, then the oldest low one, so work
/// never waits behind queued work of a lower priority. A full normal or low queue refuses the item (the caller sheds
/// it); a full high queue makes the producer wait (<see cref="EnqueueHighAsync"/>), so high-priority items are never
/// dropped here. Each queue keeps arrival order. One producer at a time; any number of consumers (each item is taken
/// once).
/// </summary>
internal sealed class SipInboundQueue<T> : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<T> _high = new();
    private readonly Queue<T> _normal = new();
    private readonly Queue<T> _low = new();
    private readonly int _normalCapacity;
    private readonly int _lowCapacity;

    // Counts queued items of every priority: consumers sleep on it.
    private readonly SemaphoreSlim _items = new(0);

    // Counts free high-priority slots: a producer with a high item waits on it when the queue is full.
    private readonly SemaphoreSlim _highSpace;

    public SipInboundQueue(int highCapacity, int lowCapacity)
        : this(highCapacity, highCapacity, lowCapacity)
    {
    }

    public SipInboundQueue(int highCapacity, int normalCapacity, int lowCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(highCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(normalCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lowCapacity, 1);
        _normalCapacity = normalCapacity;
        _lowCapacity = lowCapacity;
        _highSpace = new SemaphoreSlim(highCapacity, highCapacity);
    }

    public int HighCount
    {
        get
        {
            lock (_gate)
            {
                return _high.Count;
            }
        }
    }

    public int NormalCount
    {
        get
        {
            lock (_gate)
            {
                return _normal.Count;
            }
        }
    }

    public int LowCount
    {
        get
        {
            lock (_gate)
            {
                return _low.Count;
            }
        }
    }

    /// <summary>Queues a high-priority item if there is room; false when the high queue is full.</summary>
    public bool TryEnqueueHigh(T item)
    {
        if (!_highSpace.Wait(0))
        {
            return false;
        }

        Add(_high, item);
        return true;
    }

    /// <summary>Queues a high-priority item, waiting for room; throws <see cref="OperationCanceledException"/> when cancelled first.</summary>
    public async ValueTask EnqueueHighAsync(T item, CancellationToken cancellationToken)
    {
        await _highSpace.WaitAsync(cancellationToken).ConfigureAwait(false);
        Add(_high, item);
    }

    /// <summary>Queues a normal-priority item; false (the item was not taken) when the normal queue is full.</summary>
    public bool TryEnqueueNormal(T item) => TryEnqueueBounded(_normal, _normalCapacity, item);

    /// <summary>Queues a low-priority item; false (the item was not taken) when the low queue is full.</summary>
    public bool TryEnqueueLow(T item) => TryEnqueueBounded(_low, _lowCapacity, item);

    private bool TryEnqueueBounded(Queue<T> queue, int capacity, T item)
    {
        lock (_gate)
        {
            if (queue.Count >= capacity)
            {
                return false;
            }

            queue.Enqueue(item);
        }

        _items.Release();
        return true;
    }

    /// <summary>Takes the next item without waiting: the oldest high one, else the oldest normal one, else the oldest low one.</summary>
    public bool TryDequeue(out T item, out SipInboundPriority priority)
    {
        if (!_items.Wait(0))
        {
            item = default!;
            priority = SipInboundPriority.Discard;
            return false;
        }

        (item, priority) = Take();
        return true;
    }

    /// <summary>Waits for the next item: the oldest high one, else the oldest normal one, else the oldest low one.</summary>
    public async ValueTask<(T Item, SipInboundPriority Priority)> DequeueAsync(CancellationToken cancellationToken)
    {
        await _items.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Take();
    }

    public void Dispose()
    {
        _items.Dispose();
        _highSpace.Dispose();
    }

    private void Add(Queue<T> queue, T item)
    {
        lock (_gate)
        {
            queue.Enqueue(item);
        }

        _items.Release();
    }

    private (T Item, SipInboundPriority Priority) Take()
    {
        T item;
        SipInboundPriority priority;
        lock (_gate)
        {
            if (_high.Count > 0)
            {
                item = _high.Dequeue();
                priority = SipInboundPriority.High;
            }
            else if (_normal.Count > 0)
            {
                item = _normal.Dequeue();
                priority = SipInboundPriority.Normal;
            }
            else
            {
                item = _low.Dequeue();
                priority = SipInboundPriority.Low;
            }
        }

        if (priority == SipInboundPriority.High)
        {
            _highSpace.Release();
        }

        return (item, priority);
    }
}
