namespace Intake.Media.Recording;

/// <summary>Tuning of <see cref="CallRecorder"/>.</summary>
public sealed class CallRecorderOptions
{
    /// <summary>How long audio is held before being written, so reordered packets still land in place.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Interval of flushes (RIFF sizes rewritten): the most a crash can lose, plus <see cref="Latency"/>.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the writer wakes to drain the queue (packets wait at most this long in memory).</summary>
    public TimeSpan DrainInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Packets queued between the packet path and the writer before new ones are dropped.</summary>
    public int QueueCapacity { get; set; } = 512;

    /// <summary>
    /// Difference between where a packet's timestamp puts it and when it arrived beyond which
    /// the stream is re-anchored on arrival time (a timestamp jump).
    /// </summary>
    public TimeSpan JumpThreshold { get; set; } = TimeSpan.FromSeconds(1);
}
