namespace Intake.Media.Recording;

/// <summary>Channel of the stereo recording.</summary>
public enum RecordingChannel
{
    /// <summary>Left: what the caller says.</summary>
    Caller = 0,

    /// <summary>Right: what the caller hears (operator or prompts).</summary>
    CallerHears = 1,
}
