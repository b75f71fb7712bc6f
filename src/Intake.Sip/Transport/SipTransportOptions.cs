using System.Net;
using System.Security.Cryptography.X509Certificates;
using Intake.Sip.Messages;

namespace Intake.Sip.Transport;

/// <summary>Configuration of <see cref="SipTransportLayer"/>.</summary>
public sealed record SipTransportOptions
{
    /// <summary>Each endpoint gets a UDP socket and a TCP listener on the same port; port 0 picks one ephemeral port shared by both.</summary>
    public IReadOnlyList<IPEndPoint> ListenEndPoints { get; init; } = [];

    public bool EnableUdp { get; init; } = true;

    public bool EnableTcp { get; init; } = true;

    /// <summary>The TCP framer uses MaxMessageBytes and MaxBodyBytes to bound what one connection may buffer.</summary>
    public SipParserLimits Limits { get; init; } = SipParserLimits.Default;

    /// <summary>A connection with no traffic in either direction for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public int MaxTcpConnectionsPerSource { get; init; } = 32;

    public int MaxTcpConnections { get; init; } = 4096;

    /// <summary>SO_RCVBUF for the UDP sockets; large so bursts survive a busy handler.</summary>
    public int UdpReceiveBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Sorts every received message by source and start line before it is parsed: high, normal or low priority, or
    /// discarded (<see cref="ISipInboundClassifier"/>). The default puts call traffic first and discards nothing.
    /// </summary>
    public ISipInboundClassifier InboundClassifier { get; init; } = SipInboundClassifier.Default;

    /// <summary>
    /// UDP datagrams waiting for the processing loop at high priority. Never shed: when full, receiving pauses (and
    /// the socket buffer fills) until there is room. Large, since filling it means the server cannot keep up with calls.
    /// </summary>
    public int InboundHighQueueCapacity { get; init; } = 16_384;

    /// <summary>
    /// UDP datagrams waiting at normal priority (call traffic the classifier ranks below the high priority, e.g. from
    /// outside the trunks); past it further normal-priority datagrams are shed (counted and logged) and their senders'
    /// retransmissions try again.
    /// </summary>
    public int InboundNormalQueueCapacity { get; init; } = 4_096;

    /// <summary>UDP datagrams waiting at low priority; past it further low-priority datagrams are shed (counted and logged).</summary>
    public int InboundLowQueueCapacity { get; init; } = 2_048;

    /// <summary>
    /// Messages of one UDP socket handled at once, by as many workers. Each call's messages (same Call-ID) are still
    /// handled one at a time in arrival order; more workers only keep one call's slow handler (a disk stall) from
    /// holding up the others. 1 handles every message in turn.
    /// </summary>
    public int ProcessingConcurrency { get; init; } = 4;

    /// <summary>Bound on establishing an outbound TCP connection.</summary>
    public TimeSpan TcpConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on one TCP write; a peer that stops reading for this long loses its connection.</summary>
    public TimeSpan TcpWriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Adds a TLS listener on <see cref="TlsPort"/> for every listen endpoint and allows outbound TLS (RFC 3261 §26.2).</summary>
    public bool EnableTls { get; init; }

    /// <summary>TLS listen port (5061 by default); 0 picks an ephemeral port per listen endpoint.</summary>
    public int TlsPort { get; init; } = 5061;

    /// <summary>Our certificate with its private key: presented to TLS clients, and to TLS servers that ask for one.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>Intermediate CA certificates sent after <see cref="TlsCertificate"/> so peers can build its chain.</summary>
    public IReadOnlyList<X509Certificate2> TlsCertificateChain { get; init; } = [];

    /// <summary>
    /// CA certificates trusted in addition to the system store, for peers in a private PKI. A peer certificate is
    /// accepted when it chains to a system root or, failing that, to one of these.
    /// </summary>
    public IReadOnlyList<X509Certificate2> TlsTrustedCertificateAuthorities { get; init; } = [];

    /// <summary>Inbound TLS clients must present a certificate that chains to a trusted root (mutual TLS with trunks).</summary>
    public bool TlsRequireClientCertificate { get; init; }

    /// <summary>Checks certificate revocation online; off by default so a dead CRL server cannot block emergency calls.</summary>
    public bool TlsCheckRevocation { get; init; }

    /// <summary>Bound on a TLS handshake, inbound or outbound; a client that stalls it loses the connection.</summary>
    public TimeSpan TlsHandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
