namespace Intake.Media.Rtcp;

/// <summary>One RFC 3550 §6.4.1 reception report block.</summary>
/// <param name="Ssrc">Source the report is about.</param>
/// <param name="FractionLost">Loss fraction since the previous report, fixed point /256.</param>
/// <param name="CumulativeLost">Cumulative packets lost (24-bit signed).</param>
/// <param name="ExtendedHighestSequence">Cycles and highest sequence number received.</param>
/// <param name="Jitter">Interarrival jitter in timestamp units.</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP time of the last SR received (LSR), 0 if none.</param>
/// <param name="DelaySinceLastSenderReport">Delay since that SR in 1/65536 s (DLSR).</param>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    /// <summary>Size of a report block on the wire.</summary>
    public const int Size = 24;

    /// <summary>
    /// Round-trip time from this block as seen by the sender it reports to (RFC 3550 §6.4.1):
    /// arrival − LSR − DLSR, in 1/65536 s. Null when the peer has not seen an SR yet or the
    /// result is implausible (negative).
    /// </summary>
    public uint? RoundTrip(NtpTimestamp arrival)
    {
        if (LastSenderReport == 0)
        {
            return null;
        }

        var rtt = unchecked(arrival.Middle32 - LastSenderReport - DelaySinceLastSenderReport);
        return (int)rtt < 0 ? null : rtt;
    }
}
