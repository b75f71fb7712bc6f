namespace Intake.Server.Configuration;

/// <summary>The <c>Sip</c> section: where the SIP stack listens.</summary>
public sealed class SipOptions
{
    public const string Section = "Sip";

    /// <summary>Address to bind UDP and TCP on; 0.0.0.0 (all IPv4), :: (all IPv6) or one address.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>UDP and TCP port.</summary>
    public int Port { get; set; } = 5060;

    /// <summary>Address written into Contact, Via and SDP when BindAddress is a wildcard.</summary>
    public string? AdvertisedAddress { get; set; }

    public string UserAgent { get; set; } = "Intake";

    public bool EnableUdp { get; set; } = true;

    public bool EnableTcp { get; set; } = true;

    public int TcpIdleTimeoutSeconds { get; set; } = 600;

    public int MaxTcpConnectionsPerSource { get; set; } = 32;

    /// <summary>RFC 3261 T1, the round-trip estimate that paces every retransmission.</summary>
    public int T1Milliseconds { get; set; } = 500;

    /// <summary>RFC 3261 T2, the cap on retransmission intervals.</summary>
    public int T2Milliseconds { get; set; } = 4000;

    /// <summary>RFC 3261 T4, how long the network may hold a message.</summary>
    public int T4Milliseconds { get; set; } = 5000;

    /// <summary>How long a caller hears ringing before Intake answers; 0 answers at once (the default for an emergency line).</summary>
    public int AnswerDelayMilliseconds { get; set; }
}
