namespace Intake.Media.Rtp;

/// <summary>How the receive statistics classified one packet.</summary>
public enum RtpPacketOutcome
{
    /// <summary>Next or later than the highest sequence seen (a gap means loss so far).</summary>
    InOrder,

    /// <summary>Older than the highest sequence seen and not seen before: reordered.</summary>
    Reordered,

    /// <summary>A sequence number already received.</summary>
    Duplicate,

    /// <summary>The first packet of a (new) source.</summary>
    NewSource,

    /// <summary>A jump too large to be loss; held until the next packet confirms a restart.</summary>
    Discarded,
}
