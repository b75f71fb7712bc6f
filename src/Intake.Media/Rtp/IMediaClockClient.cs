namespace Intake.Media.Rtp;

/// <summary>Something driven by the shared <see cref="MediaClock"/>.</summary>
public interface IMediaClockClient
{
    /// <summary>
    /// Called once per 20 ms frame, in frame order, from the clock's timer thread.
    /// Must be quick and must not throw (exceptions are caught and counted).
    /// </summary>
    void OnFrame(long frame, long timestamp);
}
