namespace Intake.Server.Configuration;

/// <summary>The <c>Rtp</c> section: the media port range and media supervision.</summary>
public sealed class RtpOptions
{
    public const string Section = "Rtp";

    public int PortMin { get; set; } = 20000;

    public int PortMax { get; set; } = 29999;

    /// <summary>A call whose caller sends no RTP for this long is ended as a media timeout.</summary>
    public int InactivitySeconds { get; set; } = 30;

    /// <summary>
    /// Threads that receive (and relay, and hand to the recorder) all calls' RTP; 0 = one per core. Linux only: other
    /// platforms give each socket its own receive loop.
    /// </summary>
    public int ReceiveThreads { get; set; }
}
