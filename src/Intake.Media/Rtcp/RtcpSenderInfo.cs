namespace Intake.Media.Rtcp;

/// <summary>The sender information section of an RTCP SR (RFC 3550 §6.4.1).</summary>
public readonly record struct RtcpSenderInfo(NtpTimestamp NtpTime, uint RtpTimestamp, uint PacketCount, uint OctetCount);
