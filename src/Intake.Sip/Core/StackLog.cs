using Intake.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Core;

internal static partial class StackLog
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "SIP stack background task {Task} failed")]
    public static partial void BackgroundFailure(ILogger logger, string task, Exception exception);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Dropped unparsable message from {Remote}: {StatusCode} {Error}")]
    public static partial void Unparsable(ILogger logger, SipEndPoint remote, int statusCode, string? error);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Processing a message from {Remote} failed")]
    public static partial void InboundFailed(ILogger logger, SipEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Stray ACK from {Remote} (no dialog)")]
    public static partial void StrayAck(ILogger logger, SipEndPoint remote);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Stray response {StatusCode} for {CallId}")]
    public static partial void StrayResponse(ILogger logger, int statusCode, string? callId);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Error, Message = "Transaction user failed on {Method} from {Remote}")]
    public static partial void HandlerFailed(ILogger logger, string method, SipEndPoint remote, Exception exception);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "No ACK for the 2xx of dialog {Dialog}; ending it with BYE")]
    public static partial void AckTimeout(ILogger logger, string dialog);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Debug, Message = "Rejected {Method} from {Remote} with {StatusCode}")]
    public static partial void Rejected(ILogger logger, string method, SipEndPoint remote, int statusCode);
}
