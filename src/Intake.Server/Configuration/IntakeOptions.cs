namespace Intake.Server.Configuration;

/// <summary>The <c>Intake</c> section: server-wide settings.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Recordings, the store and registrations live here; relative paths are relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>How long calls in progress may continue after a shutdown request before they are ended.</summary>
    public int DrainSeconds { get; set; } = 30;
}
