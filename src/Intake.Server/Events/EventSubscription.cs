using System.Threading.Channels;

namespace Intake.Server.Events;

/// <summary>
/// One live subscriber of the <see cref="EventHub"/>: a bounded buffer the hub fills without ever waiting. When the
/// buffer is full the subscription is ended (<see cref="Overflowed"/> fires) instead of slowing down the appends.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly EventHub _hub;
    private readonly Channel<CallEventRecord> _channel;
    private readonly CancellationTokenSource _overflow = new();
    private int _overflowed;
    private ulong _position;

    internal EventSubscription(EventHub hub, int capacity, string name, bool isWatchStream)
    {
        _hub = hub;
        Capacity = capacity;
        Name = name;
        IsWatchStream = isWatchStream;
        _channel = Channel.CreateBounded<CallEventRecord>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    /// <summary>Who reads it, for the consumer-lag gauge (e.g. "watch ipv4:127.0.0.1:40112").</summary>
    public string Name { get; }

    /// <summary>A client's Watch stream (reported by the consumer-lag gauge), not an in-process reader.</summary>
    public bool IsWatchStream { get; }

    /// <summary>The last sequence the consumer has taken (sent or filtered out); the gauge's lag is measured from it.</summary>
    public ulong Position
    {
        get => Volatile.Read(ref _position);
        set => Volatile.Write(ref _position, value);
    }

    public ChannelReader<CallEventRecord> Reader => _channel.Reader;

    /// <summary>Cancelled when the subscriber fell more than <see cref="Capacity"/> events behind.</summary>
    public CancellationToken Overflowed => _overflow.Token;

    public bool HasOverflowed => Volatile.Read(ref _overflowed) != 0;

    public void Dispose()
    {
        _hub.Remove(this);
        _channel.Writer.TryComplete();
    }

    /// <summary>Called by the hub's single publisher; never blocks.</summary>
    internal bool TryOffer(CallEventRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            return true;
        }

        if (Interlocked.Exchange(ref _overflowed, 1) == 0)
        {
            _channel.Writer.TryComplete();

            // Cancelling runs the reader's callbacks (aborting a pending network write); keep that off the append path.
            ThreadPool.UnsafeQueueUserWorkItem(static cts => cts.Cancel(), _overflow, preferLocal: false);
        }

        return false;
    }
}
