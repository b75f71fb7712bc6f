using Microsoft.Extensions.Logging;

namespace Intake.Server;

/// <summary>The server's log lines, source-generated so that a busy call path does not format what nobody reads.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Intake listening on {EndPoints}")]
    public static partial void Listening(ILogger logger, string endPoints);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Serving queue {Queue} on numbers {Numbers} (priority {Priority})")]
    public static partial void ServingQueue(ILogger logger, string queue, string numbers, int priority);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Call {CallId} from {Caller} to {Number} ({Queue}) via {Source}")]
    public static partial void CallOffered(ILogger logger, string callId, string caller, string number, string queue, string source);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Call {CallId} answered")]
    public static partial void CallAnswered(ILogger logger, string callId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Call {CallId} ended: {Reason}")]
    public static partial void CallEnded(ILogger logger, string callId, string reason);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "INVITE for unserved number {Number} from {Source}: 404")]
    public static partial void UnservedNumber(ILogger logger, string number, string source);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "INVITE {SipCallId} from {Source} refused with 488: {Reason}")]
    public static partial void NotAcceptable(ILogger logger, string sipCallId, string source, string reason);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "Call {CallId}: {What} failed")]
    public static partial void CallStepFailed(ILogger logger, string callId, string what, Exception exception);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Call {CallId}: the ACD did not queue it ({Result})")]
    public static partial void AcdRefused(ILogger logger, string callId, string result);

    [LoggerMessage(EventId = 17, Level = LogLevel.Information, Message = "Call {CallId} answered by {Target}")]
    public static partial void Bridged(ILogger logger, string callId, string target);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Call {CallId}: leg to {Target} failed: {Detail}")]
    public static partial void LegFailed(ILogger logger, string callId, string target, string detail);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "Operator {Operator} dialled feature code {Code}: {Result}")]
    public static partial void FeatureCodeUsed(ILogger logger, string @operator, string code, string result);
}
