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

    /// <summary>SIP over TLS listen port (RFC 3261 §26.2, usually 5061); 0 disables TLS.</summary>
    public int TlsPort { get; set; }

    /// <summary>Server certificate for TLS: a PKCS#12 (.pfx/.p12) file, or a PEM certificate (with its chain after it).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="CertificatePath"/> when it is not in the certificate file itself.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM bundle of CAs trusted, besides the system store, for peers Intake connects to over TLS (private PKIs).</summary>
    public string? TrustedCaPath { get; set; }

    /// <summary>Inbound TLS clients must present a certificate from a trusted CA (mutual TLS with trunks).</summary>
    public bool TlsRequireClientCertificate { get; set; }

    /// <summary>How long a caller hears ringing before Intake answers; 0 answers at once (the default for an emergency line).</summary>
    public int AnswerDelayMilliseconds { get; set; }
}
