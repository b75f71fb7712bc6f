namespace Intake.Media.Rtp;

/// <summary>Where an <see cref="RtpOutboundStream"/> puts finished packets (the session's socket, or a test double).</summary>
public interface IRtpPacketTransmitter
{
    /// <summary>Sends one complete RTP packet; false when it could not be sent. Must not throw.</summary>
    bool TrySend(ReadOnlySpan<byte> packet);
}
