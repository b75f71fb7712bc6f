namespace Intake.Media.Rtp;

/// <summary>
/// The one 20 ms timer of the process. Prompt players (per frame) and RTP sessions
/// (housekeeping, once per second) register here instead of owning timers, so 1,000 calls
/// cost one timer. Frames are counted from elapsed time, not from callbacks, so a late
/// callback catches up (bounded) instead of drifting. Driven by <see cref="TimeProvider"/>.
/// </summary>
public sealed class MediaClock : IDisposable
{
    /// <summary>Frame duration.</summary>
    public static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    /// <summary>Frames per housekeeping call.</summary>
    public const int FramesPerSecond = 50;

    private const int MaxCatchUpFrames = 10;

    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private readonly long _start;
    private IMediaClockClient[] _frameClients = [];
    private IMediaClockClient[] _secondClients = [];
    private long _lastFrame;
    private int _running;

    /// <summary>Starts the clock.</summary>
    public MediaClock(TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
        _start = timeProvider.GetTimestamp();
        _timer = timeProvider.CreateTimer(static s => ((MediaClock)s!).OnTimer(), this, FrameDuration, FrameDuration);
    }

    /// <summary>The time source shared by everything driven by this clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Last frame delivered.</summary>
    public long CurrentFrame => Interlocked.Read(ref _lastFrame);

    /// <summary>Frames skipped because a callback came more than 200 ms late.</summary>
    public long SkippedFrames { get; private set; }

    /// <summary>Exceptions thrown by clients (they are swallowed to protect the other calls).</summary>
    public long ClientErrors { get; private set; }

    /// <summary>Adds a client called every frame (prompt players).</summary>
    public void AddFrameClient(IMediaClockClient client) => Update(ref _frameClients, client, add: true);

    /// <summary>Removes a frame client.</summary>
    public void RemoveFrameClient(IMediaClockClient client) => Update(ref _frameClients, client, add: false);

    /// <summary>Adds a client called once per second (session housekeeping: RTCP, inactivity).</summary>
    public void AddSecondClient(IMediaClockClient client) => Update(ref _secondClients, client, add: true);

    /// <summary>Removes a second client.</summary>
    public void RemoveSecondClient(IMediaClockClient client) => Update(ref _secondClients, client, add: false);

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    private void Update(ref IMediaClockClient[] list, IMediaClockClient client, bool add)
    {
        lock (_gate)
        {
            var current = list;
            var index = Array.IndexOf(current, client);
            if (add == (index >= 0))
            {
                return;
            }

            // Copy-on-write: the timer thread iterates a snapshot without taking the lock.
            Volatile.Write(ref list, add ? [.. current, client] : [.. current[..index], .. current[(index + 1)..]]);
        }
    }

    private void OnTimer()
    {
        // A slow callback must not run concurrently with the next one.
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return;
        }

        try
        {
            var now = TimeProvider.GetTimestamp();
            var due = (long)(TimeProvider.GetElapsedTime(_start, now).Ticks / FrameDuration.Ticks);
            var next = _lastFrame + 1;
            if (due - next >= MaxCatchUpFrames)
            {
                SkippedFrames += due - next - MaxCatchUpFrames + 1;
                next = due - MaxCatchUpFrames + 1;
            }

            for (var frame = next; frame <= due; frame++)
            {
                Deliver(Volatile.Read(ref _frameClients), frame, now);
                if (frame % FramesPerSecond == 0)
                {
                    Deliver(Volatile.Read(ref _secondClients), frame, now);
                }

                Interlocked.Exchange(ref _lastFrame, frame);
            }
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    private void Deliver(IMediaClockClient[] clients, long frame, long now)
    {
        foreach (var client in clients)
        {
            try
            {
                client.OnFrame(frame, now);
            }
            catch (Exception)
            {
                ClientErrors++;
            }
        }
    }
}
