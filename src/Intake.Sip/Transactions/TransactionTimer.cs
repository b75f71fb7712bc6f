namespace Intake.Sip.Transactions;

/// <summary>
/// One restartable one-shot timer. Firing only posts an event to the owning transaction; the generation passed
/// to the callback lets the transaction ignore a firing that raced with <see cref="Stop"/> or a restart.
/// </summary>
internal sealed class TransactionTimer : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<TransactionTimer, int> _onFire;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private int _generation;

    public TransactionTimer(SipTimer kind, TimeProvider time, Action<TransactionTimer, int> onFire)
    {
        Kind = kind;
        _time = time;
        _onFire = onFire;
    }

    public SipTimer Kind { get; }

    /// <summary>Interval of the last <see cref="Start"/>; retransmission timers double it.</summary>
    public TimeSpan Interval { get; private set; }

    public bool IsCurrent(int generation)
    {
        lock (_lock) return _timer is not null && generation == _generation;
    }

    public void Start(TimeSpan due)
    {
        ITimer timer;
        lock (_lock)
        {
            _timer?.Dispose();
            Interval = due;
            var generation = ++_generation;
            timer = _time.CreateTimer(static state => ((TimerState)state!).Fire(), new TimerState(this, generation), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer = timer;
        }

        // Armed outside the lock: a fake clock may fire a zero-length timer synchronously.
        timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    public void Stop()
    {
        lock (_lock)
        {
            _generation++;
            _timer?.Dispose();
            _timer = null;
        }
    }

    public void Dispose() => Stop();

    private sealed record TimerState(TransactionTimer Owner, int Generation)
    {
        public void Fire() => Owner._onFire(Owner, Generation);
    }
}
