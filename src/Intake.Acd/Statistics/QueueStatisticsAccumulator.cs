using Intake.Acd.Operators;

namespace Intake.Acd.Statistics;

/// <summary>Running counters of one queue; not thread-safe (the engine's lock guards it).</summary>
internal sealed class QueueStatisticsAccumulator
{
    private readonly int[] _thresholdSeconds;
    private readonly long[] _answeredWithin;
    private readonly long[] _abandonedAfter;
    private long _offered;
    private long _answered;
    private long _abandoned;
    private long _overflowed;
    private long _answerTicks;

    public QueueStatisticsAccumulator(IReadOnlyList<int> thresholdSeconds)
    {
        _thresholdSeconds = [.. thresholdSeconds];
        _answeredWithin = new long[_thresholdSeconds.Length];
        _abandonedAfter = new long[_thresholdSeconds.Length];
    }

    public void RecordOffered() => _offered++;

    public void RecordOverflowed() => _overflowed++;

    public void RecordAnswered(TimeSpan wait)
    {
        _answered++;
        _answerTicks += wait.Ticks;
        for (var i = 0; i < _thresholdSeconds.Length; i++)
        {
            if (wait <= TimeSpan.FromSeconds(_thresholdSeconds[i]))
            {
                _answeredWithin[i]++;
            }
        }
    }

    public void RecordAbandoned(TimeSpan wait)
    {
        _abandoned++;
        for (var i = 0; i < _thresholdSeconds.Length; i++)
        {
            if (wait > TimeSpan.FromSeconds(_thresholdSeconds[i]))
            {
                _abandonedAfter[i]++;
            }
        }
    }

    public void Reset()
    {
        _offered = _answered = _abandoned = _overflowed = _answerTicks = 0;
        Array.Clear(_answeredWithin);
        Array.Clear(_abandonedAfter);
    }

    public AcdQueueStatistics Snapshot(
        string queue,
        int waiting,
        TimeSpan longestWait,
        IReadOnlyDictionary<AcdOperatorState, int> operatorsByState)
    {
        var levels = new ServiceLevel[_thresholdSeconds.Length];
        for (var i = 0; i < levels.Length; i++)
        {
            var counted = _answered + _overflowed + _abandonedAfter[i];
            double? percent = counted == 0 ? null : 100.0 * _answeredWithin[i] / counted;
            levels[i] = new ServiceLevel(_thresholdSeconds[i], _answeredWithin[i], counted, percent);
        }

        TimeSpan? asa = _answered == 0 ? null : TimeSpan.FromTicks(_answerTicks / _answered);
        return new AcdQueueStatistics(
            queue, waiting, longestWait, _offered, _answered, _abandoned, _overflowed, asa, levels, operatorsByState);
    }
}
