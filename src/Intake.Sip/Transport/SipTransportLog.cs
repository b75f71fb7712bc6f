using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>Source-generated log messages of the transport layer (event ids 1100-1199).</summary>
internal static partial class SipTransportLog
{
    [LoggerMessage(1100, LogLevel.Information, "SIP listening on {EndPoint}")]
    public static partial void Listening(this ILogger logger, SipEndPoint endPoint);

    [LoggerMessage(1101, LogLevel.Error, "SIP handler failed for a datagram from {Remote} on {Local}")]
    public static partial void UdpHandlerFailed(this ILogger logger, Exception exception, SipEndPoint remote, SipEndPoint local);

    [LoggerMessage(1102, LogLevel.Warning, "SIP UDP receive error {Error} on {Local}")]
    public static partial void UdpReceiveError(this ILogger logger, SocketError error, SipEndPoint local);

    [LoggerMessage(1103, LogLevel.Warning, "SIP UDP send to {Remote} failed: {Error}")]
    public static partial void UdpSendFailed(this ILogger logger, IPEndPoint remote, string error);

    [LoggerMessage(1104, LogLevel.Warning, "SIP send to {Remote} dropped: no UDP socket for address family {Family}")]
    public static partial void NoUdpSocketForFamily(this ILogger logger, IPEndPoint remote, AddressFamily family);

    [LoggerMessage(1105, LogLevel.Warning, "SIP send to {Remote} dropped: TLS transport is not enabled")]
    public static partial void TlsNotEnabled(this ILogger logger, IPEndPoint remote);

    [LoggerMessage(1110, LogLevel.Debug, "SIP TCP connection {ConnectionId} {Direction} {Remote} (local {Local})")]
    public static partial void TcpConnectionOpened(this ILogger logger, long connectionId, string direction, SipEndPoint remote, SipEndPoint local);

    [LoggerMessage(1111, LogLevel.Warning, "SIP TCP connection from {Remote} refused: {Reason}")]
    public static partial void TcpConnectionRejected(this ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(1112, LogLevel.Debug, "SIP TCP connection {ConnectionId} to {Remote} closed: {Reason}")]
    public static partial void TcpConnectionClosed(this ILogger logger, long connectionId, SipEndPoint remote, string reason);

    [LoggerMessage(1113, LogLevel.Warning, "SIP TCP connection {ConnectionId} from {Remote} sent an unframeable stream, closing: {Error}")]
    public static partial void TcpFramingInvalid(this ILogger logger, long connectionId, SipEndPoint remote, string error);

    [LoggerMessage(1114, LogLevel.Error, "SIP handler failed for a message on TCP connection {ConnectionId} from {Remote}")]
    public static partial void TcpHandlerFailed(this ILogger logger, Exception exception, long connectionId, SipEndPoint remote);

    [LoggerMessage(1115, LogLevel.Warning, "SIP TCP connect to {Remote} failed: {Reason}")]
    public static partial void TcpConnectFailed(this ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(1116, LogLevel.Warning, "SIP TCP send on connection {ConnectionId} to {Remote} failed: {Reason}")]
    public static partial void TcpSendFailed(this ILogger logger, long connectionId, SipEndPoint remote, string reason);

    [LoggerMessage(1117, LogLevel.Information, "SIP TCP connection {ConnectionId} to {Remote} idle for {Idle}, closing")]
    public static partial void TcpIdleTimeout(this ILogger logger, long connectionId, SipEndPoint remote, TimeSpan idle);

    [LoggerMessage(1118, LogLevel.Warning, "SIP TCP accept error {Error} on {Local}")]
    public static partial void TcpAcceptError(this ILogger logger, SocketError error, SipEndPoint local);

    [LoggerMessage(1119, LogLevel.Debug, "SIP TCP connection {ConnectionId} closed by {Remote} with {Bytes} unframed bytes pending")]
    public static partial void TcpTruncated(this ILogger logger, long connectionId, SipEndPoint remote, long bytes);

    [LoggerMessage(1120, LogLevel.Warning, "SIP TLS handshake with client {Remote} failed: {Reason}")]
    public static partial void TlsAcceptFailed(this ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(1121, LogLevel.Warning, "SIP TLS connect to {Remote} as {TargetHost} failed: {Reason}")]
    public static partial void TlsConnectFailed(this ILogger logger, IPEndPoint remote, string targetHost, string reason);

    [LoggerMessage(1122, LogLevel.Error, "SIP inbound classifier failed for a message from {Remote}; treated as low priority")]
    public static partial void ClassifierFailed(this ILogger logger, Exception exception, SipEndPoint remote);

    [LoggerMessage(1123, LogLevel.Warning, "SIP UDP on {Local}: normal- or low-priority queue full, {Shed} datagrams shed since the last report (latest from {Remote}; reported at most every {Interval})")]
    public static partial void UdpQueueShed(this ILogger logger, long shed, SipEndPoint local, SipEndPoint remote, TimeSpan interval);

    [LoggerMessage(1124, LogLevel.Warning, "SIP UDP on {Local}: high-priority queue full, receiving paused until the processing loop catches up")]
    public static partial void UdpHighQueueFull(this ILogger logger, SipEndPoint local);
}
