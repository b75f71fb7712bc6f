namespace Intake.Server.Events;

/// <summary>
/// Live fan-out of appended events to subscribers (Watch streams, dispatch workers). The <see cref="EventStore"/>
/// publishes here only after events are committed, in sequence order (a committed batch at once).
/// </summary>
public sealed class EventHub
{
    private readonly Lock _gate = new();
    private EventSubscription[] _subscribers = [];
    private TaskCompletionSource _appended = NewSignal();
    private ulong _latest;

    /// <summary>The sequence of the last event published.</summary>
    public ulong LatestSequence => Volatile.Read(ref _latest);

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>The live subscriptions now (a snapshot).</summary>
    public IReadOnlyList<EventSubscription> Subscribers => Volatile.Read(ref _subscribers);

    /// <summary>
    /// Starts buffering every event published from now on, up to <paramref name="capacity"/> unread ones.
    /// <paramref name="isWatchStream"/>: a client's Watch stream, whose lag the consumer-lag gauge reports.
    /// </summary>
    public EventSubscription Subscribe(int capacity, string name = "subscriber", bool isWatchStream = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new EventSubscription(this, capacity, name, isWatchStream);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    /// <summary>Completes when an event with a sequence greater than <paramref name="afterSequence"/> has been published.</summary>
    public Task WaitForAppendAsync(ulong afterSequence, CancellationToken cancellationToken)
    {
        // Read the signal before the sequence: a publish in between completes the signal we hold.
        var signal = Volatile.Read(ref _appended);
        return LatestSequence > afterSequence ? Task.CompletedTask : signal.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Hands the record to every subscriber without waiting; subscribers that are full are dropped.</summary>
    internal void Publish(CallEventRecord record) => Publish([record]);

    /// <summary>
    /// Hands the records, in order, to every subscriber without waiting, then wakes waiters once for the whole batch;
    /// subscribers that are full are dropped.
    /// </summary>
    internal void Publish(IReadOnlyList<CallEventRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        var subscribers = Volatile.Read(ref _subscribers);
        List<EventSubscription>? overflowed = null;
        foreach (var subscriber in subscribers)
        {
            foreach (var record in records)
            {
                if (!subscriber.TryOffer(record))
                {
                    (overflowed ??= []).Add(subscriber);
                    break;
                }
            }
        }

        if (overflowed is not null)
        {
            foreach (var subscriber in overflowed)
            {
                Remove(subscriber);
            }
        }

        Volatile.Write(ref _latest, records[^1].Sequence);
        Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
    }

    /// <summary>Sets the starting point at open, from the store's last sequence.</summary>
    internal void Reset(ulong latestSequence) => Volatile.Write(ref _latest, latestSequence);

    internal void Remove(EventSubscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
