using Microsoft.Extensions.Logging;

namespace Intake.Sip.Auth;

internal static partial class AuthLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning,
        Message = "Authentication lockout of {Kind} {Key} after {Failures} failures until {Until:O}")]
    public static partial void LockedOut(ILogger logger, string kind, string key, int failures, DateTimeOffset until);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Authentication lockout of {Kind} {Key} ended")]
    public static partial void LockoutEnded(ILogger logger, string kind, string key);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning,
        Message = "Authentication failure tracking is full ({Count} keys); new {Kind} keys are not tracked")]
    public static partial void TrackerFull(ILogger logger, int count, string kind);
}
