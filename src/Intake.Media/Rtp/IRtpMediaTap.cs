using Intake.Media.Codecs;

namespace Intake.Media.Rtp;

/// <summary>
/// Observes the audio of one RTP session (the recorder implements it). Called on the packet
/// path: implementations must copy what they need and return at once, never block.
/// </summary>
public interface IRtpMediaTap
{
    /// <summary>An audio packet received from the peer (after duplicate filtering).</summary>
    void OnReceived(uint ssrc, uint timestamp, AudioEncoding encoding, ReadOnlySpan<byte> payload, long arrivalTimestamp);

    /// <summary>An audio packet sent to the peer (relayed or generated).</summary>
    void OnSent(uint ssrc, uint timestamp, AudioEncoding encoding, ReadOnlySpan<byte> payload, long sendTimestamp);
}
