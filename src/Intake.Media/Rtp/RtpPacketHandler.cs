namespace Intake.Media.Rtp;

/// <summary>
/// Receives each accepted RTP packet (parsed, from the latched peer, not a duplicate) on the
/// session's receive loop. The spans are only valid during the call.
/// </summary>
public delegate void RtpPacketHandler(RtpSession session, in RtpHeader header, ReadOnlySpan<byte> payload);
