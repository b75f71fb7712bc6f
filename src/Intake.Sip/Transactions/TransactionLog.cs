using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transactions;

internal static partial class TransactionLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "Transaction {Transaction} failed to process an event")]
    public static partial void EventFailed(ILogger logger, string transaction, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Trace, Message = "Timer {Timer} fired for {Transaction}")]
    public static partial void TimerFired(ILogger logger, SipTimer timer, string transaction);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Transport error sending for {Transaction}")]
    public static partial void TransportError(ILogger logger, string transaction);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Transaction {Transaction} timed out ({Timer})")]
    public static partial void TimedOut(ILogger logger, string transaction, SipTimer timer);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Response {StatusCode} not sent by {Transaction} in state {State}")]
    public static partial void ResponseRejected(ILogger logger, int statusCode, string transaction, SipTransactionState state);
}
