using Microsoft.Extensions.Logging;

namespace Intake.Server.Operators;

internal static partial class OperatorLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Information,
        Message = "Restored {Count} registrations of {Operators} operators from {Directory}")]
    public static partial void Restored(ILogger logger, int count, int operators, string directory);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Operator {Username} registered")]
    public static partial void Registered(ILogger logger, string username);

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Operator {Username} unregistered")]
    public static partial void Unregistered(ILogger logger, string username);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Operator {Username} unreachable")]
    public static partial void Unreachable(ILogger logger, string username);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Operator {Username} reachable again")]
    public static partial void ReachableAgain(ILogger logger, string username);

    [LoggerMessage(EventId = 605, Level = LogLevel.Error, Message = "A subscriber to the {Event} event of operator {Username} threw")]
    public static partial void SubscriberFailed(ILogger logger, string @event, string username, Exception exception);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "Delayed {StatusCode} to {Method} could not be sent")]
    public static partial void DelayedSendFailed(ILogger logger, int statusCode, string method, Exception exception);

    [LoggerMessage(EventId = 607, Level = LogLevel.Information,
        Message = "Operator registrar for realm {Realm}: {Accounts} accounts, keep-alive {KeepAlive}")]
    public static partial void Ready(ILogger logger, string realm, int accounts, string keepAlive);

    [LoggerMessage(EventId = 608, Level = LogLevel.Warning,
        Message = "{Method} from {Source} not authenticated: {StatusCode} ({Detail})")]
    public static partial void AuthRefused(ILogger logger, string method, string source, int statusCode, string detail);

    [LoggerMessage(EventId = 609, Level = LogLevel.Error, Message = "Keep-alive probing stopped after an error")]
    public static partial void KeepAliveFailed(ILogger logger, Exception exception);
}
