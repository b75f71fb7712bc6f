namespace Intake.Media.Rtp;

/// <summary>How a session chooses where to send (symmetric RTP, RFC 4961 / NAT traversal).</summary>
public enum RtpLatchMode
{
    /// <summary>Latch on the first packet whose IP address is the one the SDP gave (any port, for NAT port rewriting).</summary>
    ExpectedAddress,

    /// <summary>Latch on the first packet from anywhere (peer behind a NAT that rewrites the address too).</summary>
    AnyAddress,

    /// <summary>Never latch: send to the SDP address and accept packets from anywhere.</summary>
    Off,
}
