using Intake.Media.Recording;
using Intake.Media.Rtp;
using Intake.Server.Media;

namespace Intake.Server.Calls;

/// <summary>The caller leg's media and what it left behind for the call's events.</summary>
public sealed partial class EmergencyCall
{
    /// <summary>RTP, recording and announcements of the caller leg; null only when the call was refused before media.</summary>
    public CallerMediaSession? Media { get; set; }

    /// <summary>The finished recording (path, duration, size, SHA-256), set when the call ends.</summary>
    public RecordingResult? Recording { get; set; }

    /// <summary>The caller leg's RTP quality at the end of the call.</summary>
    public RtpQualitySnapshot? CallerQuality { get; set; }
}
