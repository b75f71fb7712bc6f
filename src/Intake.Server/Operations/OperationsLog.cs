using Microsoft.Extensions.Logging;

namespace Intake.Server.Operations;

/// <summary>Log lines of shutdown, crash recovery and admission control.</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Draining: new calls refused, {Active} call(s) in progress may continue for up to {DrainSeconds} s")]
    public static partial void DrainStarted(ILogger logger, int active, int drainSeconds);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Drain finished after {ElapsedMs} ms: {Remaining} call(s) still in progress will be ended")]
    public static partial void DrainFinished(ILogger logger, long elapsedMs, int remaining);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Call {CallId} was left {State} by the previous run: closed as interrupted")]
    public static partial void CallInterrupted(ILogger logger, string callId, string state);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Recovery: {Count} call(s) interrupted by the previous run closed, {Recordings} recording(s) published")]
    public static partial void RecoveryDone(ILogger logger, int count, int recordings);

    [LoggerMessage(EventId = 704, Level = LogLevel.Error, Message = "Recovery of call {CallId}'s recording {Path} failed")]
    public static partial void RecordingRecoveryFailed(ILogger logger, string callId, string path, Exception exception);

    [LoggerMessage(EventId = 705, Level = LogLevel.Warning, Message = "INVITE from {Source} outside every trunk: 403")]
    public static partial void SourceNotTrunk(ILogger logger, string source);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "INVITE to {Number} from {Source}: {Active} calls in progress reach Intake:MaxConcurrentCalls and queue {Queue} has no overflow: 503")]
    public static partial void CapacityReached(ILogger logger, string number, string source, int active, string queue);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "INVITE from {Source} while draining: 503")]
    public static partial void RefusedWhileDraining(ILogger logger, string source);

    [LoggerMessage(EventId = 708, Level = LogLevel.Warning, Message = "Rate limit: {Count} SIP message(s) discarded unparsed since the last report (latest: {Method} from {Source}; reported at most every {Interval})")]
    public static partial void RateLimitDiscarded(ILogger logger, long count, string method, string source, TimeSpan interval);
}
