using Microsoft.Extensions.Logging;

namespace Intake.Media.Io;

internal static partial class ReactorLog
{
    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "Media reactor: epoll_wait failed (errno {Errno})")]
    public static partial void WaitFailed(ILogger logger, int errno);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "Media reactor: a datagram handler failed")]
    public static partial void SinkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Media reactor: the kernel refused UDP segmentation offload (errno {Errno}); relayed datagrams are now sent one message each")]
    public static partial void SegmentationRefused(ILogger logger, int errno);
}
