namespace Intake.Media.Rtp;

/// <summary>Why a datagram was not accepted as RTP.</summary>
public enum RtpParseError
{
    /// <summary>Parsed.</summary>
    None,

    /// <summary>Shorter than its header says.</summary>
    TooShort,

    /// <summary>Version field is not 2.</summary>
    BadVersion,

    /// <summary>Padding count is zero or larger than the payload.</summary>
    BadPadding,
}
