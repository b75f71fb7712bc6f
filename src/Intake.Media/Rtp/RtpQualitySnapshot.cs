namespace Intake.Media.Rtp;

/// <summary>Quality figures of one RTP session at one moment (per call leg: loss, jitter, RTT).</summary>
/// <param name="PacketsReceived">RTP packets accepted from the peer (duplicates excluded).</param>
/// <param name="BytesReceived">Payload bytes of those packets.</param>
/// <param name="PacketsSent">RTP packets sent to the peer.</param>
/// <param name="BytesSent">Payload bytes sent.</param>
/// <param name="PacketsLost">Packets expected but not received, over all SSRCs of the peer.</param>
/// <param name="LossPercent">PacketsLost relative to packets expected, in percent.</param>
/// <param name="Duplicates">Duplicate packets received.</param>
/// <param name="Reordered">Packets received after a later one.</param>
/// <param name="JitterMilliseconds">RFC 3550 interarrival jitter of the peer's stream.</param>
/// <param name="RoundTripMilliseconds">RTT from the peer's last report block about us (null until known).</param>
/// <param name="RemoteLossPercent">Loss of our stream as last reported by the peer (null until known).</param>
/// <param name="RemoteJitterMilliseconds">Jitter of our stream as last reported by the peer (null until known).</param>
/// <param name="SsrcChanges">Number of SSRC changes of the peer.</param>
/// <param name="MalformedPackets">Datagrams that were not valid RTP.</param>
/// <param name="UnexpectedSourcePackets">Datagrams dropped because they came from another address than the latched peer.</param>
public readonly record struct RtpQualitySnapshot(
    long PacketsReceived,
    long BytesReceived,
    long PacketsSent,
    long BytesSent,
    long PacketsLost,
    double LossPercent,
    long Duplicates,
    long Reordered,
    double JitterMilliseconds,
    double? RoundTripMilliseconds,
    double? RemoteLossPercent,
    double? RemoteJitterMilliseconds,
    int SsrcChanges,
    long MalformedPackets,
    long UnexpectedSourcePackets);
