using System.Collections.Concurrent;
using System.Runtime.Versioning;

namespace Intake.LoadGen;

/// <summary>
/// The one thread that sends for every call: wakes about every millisecond and sends each call's packets that are
/// due. Calls start at their own phase within the 20 ms period, so the packets of a thousand calls are spread instead
/// of leaving in one burst. A call leaves the pacer once its tail (time for the last echoes) is over.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class Pacer : IDisposable
{
    private const int MaxBurst = 3;

    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<GeneratedCall> _incoming = new();
    private readonly ConcurrentQueue<GeneratedCall> _finished = new();
    private readonly List<GeneratedCall> _active = [];
    private readonly Thread _thread;
    private readonly long _lateTicks;
    private volatile bool _stop;
    private long _maxLatenessTicks;
    private long _lateSends;
    private long _wakeUps;

    public Pacer(TimeProvider time)
    {
        _time = time;
        _lateTicks = time.TimestampFrequency * 5 / 1000;
        _thread = new Thread(Run) { IsBackground = true, Name = "rtp-pacer", Priority = ThreadPriority.AboveNormal };
    }

    /// <summary>Largest delay of a packet behind its due time, milliseconds.</summary>
    public double MaxLatenessMs => Interlocked.Read(ref _maxLatenessTicks) * 1000.0 / _time.TimestampFrequency;

    /// <summary>Sends more than 5 ms behind their due time.</summary>
    public long LateSends => Interlocked.Read(ref _lateSends);

    public long WakeUps => Interlocked.Read(ref _wakeUps);

    public void Start() => _thread.Start();

    public void Add(GeneratedCall call) => _incoming.Enqueue(call);

    /// <summary>Calls whose sending and tail are over, for the caller to close.</summary>
    public bool TryTakeFinished(out GeneratedCall call) => _finished.TryDequeue(out call!);

    /// <summary>Stops the thread; calls still active are returned for closing.</summary>
    public IReadOnlyList<GeneratedCall> Stop()
    {
        _stop = true;
        _thread.Join();
        while (_incoming.TryDequeue(out var call))
        {
            _active.Add(call);
        }

        var left = _active.ToList();
        _active.Clear();
        return left;
    }

    public void Dispose()
    {
        if (!_stop)
        {
            Stop();
        }
    }

    private void Run()
    {
        while (!_stop)
        {
            while (_incoming.TryDequeue(out var call))
            {
                _active.Add(call);
            }

            var now = _time.GetTimestamp();
            for (var i = _active.Count - 1; i >= 0; i--)
            {
                var call = _active[i];
                var lateness = call.SendDue(now, MaxBurst);
                if (lateness > _lateTicks)
                {
                    _lateSends++;
                }

                if (lateness > _maxLatenessTicks)
                {
                    Interlocked.Exchange(ref _maxLatenessTicks, lateness);
                }

                if (now >= call.CloseAt)
                {
                    _active[i] = _active[^1];
                    _active.RemoveAt(_active.Count - 1);
                    _finished.Enqueue(call);
                }
            }

            _wakeUps++;
            Thread.Sleep(1);
        }
    }
}
