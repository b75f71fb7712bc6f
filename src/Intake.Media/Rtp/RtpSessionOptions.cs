namespace Intake.Media.Rtp;

/// <summary>Settings of RTP sessions (bind from configuration section "Rtp").</summary>
public sealed class RtpSessionOptions
{
    /// <summary>Seconds without RTP from the peer before <see cref="RtpSession.InactivityTimeout"/> is raised. 0 disables.</summary>
    public int InactivitySeconds { get; set; } = 30;

    /// <summary>Mean interval between RTCP reports (randomized 0.5–1.5×, RFC 3550 §6.2).</summary>
    public TimeSpan RtcpInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Symmetric RTP behaviour.</summary>
    public RtpLatchMode LatchMode { get; set; } = RtpLatchMode.ExpectedAddress;

    /// <summary>
    /// Shared receive threads (Linux): when set, the session's sockets are watched by the reactor instead of each having
    /// its own awaiting receive loop. Null keeps the per-socket loops (other platforms, unit tests).
    /// </summary>
    public Io.DatagramReactor? Reactor { get; set; }

    /// <summary>Kernel receive buffer per socket in bytes; 0 keeps the OS default.</summary>
    public int SocketReceiveBufferBytes { get; set; }
}
