using System.Net;
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

    /// <summary>Bound on establishing an outbound TCP connection.</summary>
    public TimeSpan TcpConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on one TCP write; a peer that stops reading for this long loses its connection.</summary>
    public TimeSpan TcpWriteTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
