namespace Intake.Server.Configuration;

/// <summary>The <c>Rtp</c> section: the media port range and media supervision.</summary>
public sealed class RtpOptions
{
    public const string Section = "Rtp";

    public int PortMin { get; set; } = 20000;

    public int PortMax { get; set; } = 29999;

    /// <summary>A call whose caller sends no RTP for this long is ended as a media timeout.</summary>
    public int InactivitySeconds { get; set; } = 30;
}
