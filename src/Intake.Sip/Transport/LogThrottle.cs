namespace Intake.Sip.Transport;

/// <summary>
/// Lets one log line through per interval and counts what it held back, so that an event repeated thousands of
/// times a second (a flood being shed) costs one line every few seconds that still says how many there were.
/// Thread-safe.
/// </summary>
public sealed class LogThrottle
{
    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly Lock _gate = new();
    private long _nextTimestamp;
    private long _suppressed;
    private bool _started;

    public LogThrottle(TimeSpan interval, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _intervalTicks = (long)Math.Ceiling(interval.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>
    /// Counts one occurrence. True when it should be logged, with <paramref name="occurrences"/> the number of
    /// occurrences it stands for (itself and those held back since the last line); false when it is held back.
    /// </summary>
    public bool TryEnter(out long occurrences)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            _suppressed++;
            if (_started && now < _nextTimestamp)
            {
                occurrences = 0;
                return false;
            }

            _started = true;
            _nextTimestamp = now + _intervalTicks;
            occurrences = _suppressed;
            _suppressed = 0;
            return true;
        }
    }
}
