using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Media.Rtp;

/// <summary>Log messages of the session.</summary>
public sealed partial class RtpSession
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "RTP port {Port} latched to {Peer}")]
        public static partial void Latched(ILogger logger, int port, IPEndPoint peer);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "RTP port {Port} received nothing for {Seconds} s")]
        public static partial void Inactive(ILogger logger, int port, int seconds);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "RTP port {Port} receive error {Error}")]
        public static partial void ReceiveError(ILogger logger, int port, SocketError error);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "RTP port {Port} packet handler failed")]
        public static partial void HandlerFailed(ILogger logger, int port, Exception exception);
    }
}
