using System.Threading.Channels;
using Intake.Acd.Configuration;
using Intake.Acd.Decisions;
using Intake.Acd.Distribution;

namespace Intake.Acd.Engine;

/// <summary>
/// The automatic call distributor: pure logic driven by method calls (SIP-derived events from the server) and by its
/// own timer on the injected <see cref="TimeProvider"/>. Every input runs under one lock; the state change and the
/// decisions it produces are written to <see cref="Decisions"/> before the lock is released, so the decision stream is
/// one total order consistent with the engine's state and can never describe a double offer.
/// Inputs never throw for bad or stale input; they return an <see cref="AcdResult"/> and change nothing.
/// </summary>
public sealed partial class AcdEngine : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _timer;
    private readonly Channel<AcdDecision> _decisions;
    private readonly List<QueueEntry> _queues = [];
    private readonly Dictionary<string, QueueEntry> _queuesByName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, QueueEntry> _queuesByNumber = new(StringComparer.Ordinal);
    private readonly List<OperatorEntry> _operators = [];
    private readonly Dictionary<string, OperatorEntry> _operatorsByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CallEntry> _calls = new(StringComparer.Ordinal);
    private readonly SortedSet<CallEntry> _waiting = new(WaitingCallComparer.Instance);
    private readonly DeadlineQueue _deadlines = new();
    private readonly Queue<CallAbandoned> _abandoned = new();
    private readonly QueueEntry? _defaultQueue;
    private readonly int? _maxConcurrentCalls;
    private readonly bool _availableOnRegister;
    private readonly int _abandonedHistoryLimit;
    private DateTimeOffset _now;
    private DateTimeOffset? _timerDue;
    private long _decisionSequence;
    private long _callSequence;
    private long _offerIds;
    private long _wrapUpIds;
    private bool _disposed;

    /// <param name="options">Must pass <see cref="AcdOptionsValidator"/>; otherwise an <see cref="ArgumentException"/> lists the errors.</param>
    /// <param name="timeProvider">The only clock the engine reads; its timers drive ring timeouts, wrap-up and max wait.</param>
    /// <param name="strategyFactory">Builds one strategy per queue; defaults to <see cref="DistributionStrategies.Create"/>.</param>
    public AcdEngine(
        AcdOptions options,
        TimeProvider timeProvider,
        Func<AcdQueueOptions, IDistributionStrategy>? strategyFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var errors = AcdOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid ACD options: " + string.Join("; ", errors), nameof(options));
        }

        _timeProvider = timeProvider;
        _now = timeProvider.GetUtcNow();
        strategyFactory ??= DistributionStrategies.Create;
        foreach (var queueOptions in options.Queues)
        {
            var queue = new QueueEntry(queueOptions, strategyFactory(queueOptions));
            _queues.Add(queue);
            _queuesByName.Add(queue.Name, queue);
            foreach (var number in queueOptions.Numbers)
            {
                _queuesByNumber.Add(number, queue);
            }
        }

        foreach (var operatorOptions in options.Operators)
        {
            var op = new OperatorEntry(operatorOptions.Username, operatorOptions.DisplayName) { StateSince = _now };
            foreach (var membership in operatorOptions.Queues)
            {
                var queue = _queuesByName[membership.Queue];
                var entry = new QueueMembership(queue, op, membership.SkillLevel, queue.Members.Count);
                queue.Members.Add(entry);
                op.Memberships.Add(entry);
            }

            _operators.Add(op);
            _operatorsByName.Add(op.Username, op);
        }

        _defaultQueue = options.DefaultQueue is { } name ? _queuesByName[name] : null;
        _maxConcurrentCalls = options.MaxConcurrentCalls;
        _availableOnRegister = options.AvailableOnRegister;
        _abandonedHistoryLimit = options.AbandonedHistoryLimit;
        _decisions = Channel.CreateUnbounded<AcdDecision>(new UnboundedChannelOptions
        {
            SingleReader = false,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
        });
        _timer = timeProvider.CreateTimer(static state => ((AcdEngine)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Every decision in order (unbounded, never blocks the engine). Read it from one loop and act on commands in order;
    /// it completes when the engine is disposed.
    /// </summary>
    public ChannelReader<AcdDecision> Decisions => _decisions.Reader;

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
            _decisions.Writer.TryComplete();
        }
    }

    /// <summary>Queue name that a dialled number leads to (the default queue for unknown numbers), or null.</summary>
    public string? FindQueue(string dialledNumber)
    {
        ArgumentNullException.ThrowIfNull(dialledNumber);
        return _queuesByNumber.TryGetValue(dialledNumber, out var queue) ? queue.Name : _defaultQueue?.Name;
    }

    private void OnTimer()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _timerDue = null;
            BeginInput();
            EndInput();
        }
    }

    /// <summary>Brings the engine up to the clock: handles every deadline due by now, in deadline order.</summary>
    private void BeginInput()
    {
        var target = _timeProvider.GetUtcNow();
        while (_deadlines.TryDequeueDue(target, out var deadline))
        {
            // Keeps decision timestamps monotonic even if the clock steps back or a deadline lies in the past.
            if (deadline.At > _now)
            {
                _now = deadline.At;
            }

            HandleDeadline(deadline);
        }

        if (target > _now)
        {
            _now = target;
        }
    }

    /// <summary>Handles deadlines the input itself made due (e.g. a call that arrived already past its max wait), then re-arms the timer.</summary>
    private void EndInput()
    {
        while (_deadlines.TryDequeueDue(_now, out var deadline))
        {
            HandleDeadline(deadline);
        }

        if (_disposed)
        {
            return;
        }

        if (!_deadlines.TryPeekTime(out var next))
        {
            if (_timerDue is not null)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timerDue = null;
            }

            return;
        }

        if (_timerDue == next)
        {
            return;
        }

        _timerDue = next;
        var due = next - _now;
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
    }

    private T Emit<T>(T decision)
        where T : AcdDecision
    {
        AcdDecision source = decision;
        var stamped = (T)(source with { Sequence = ++_decisionSequence, Timestamp = _now });
        _decisions.Writer.TryWrite(stamped);
        return stamped;
    }
}
