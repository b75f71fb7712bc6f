using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>Accept loop of one TCP (or TLS-over-TCP) listen endpoint; every accepted socket is handed to the owner for admission.</summary>
internal sealed class SipTcpListener : IAsyncDisposable
{
    private const int Backlog = 512;

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;

    private SipTcpListener(Socket socket, SipTransportProtocol protocol, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _time = time;
        _logger = logger;
        LocalEndPoint = new SipEndPoint(protocol, (IPEndPoint)socket.LocalEndPoint!);
    }

    public SipEndPoint LocalEndPoint { get; }

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the endpoint is unavailable.</summary>
    public static SipTcpListener Bind(IPEndPoint endPoint, SipTransportProtocol protocol, TimeProvider time, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return new SipTcpListener(socket, protocol, time, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Start(Action<Socket, SipTransportProtocol> onAccepted) => _acceptLoop = AcceptLoopAsync(onAccepted, _stopping.Token);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(Action<Socket, SipTransportProtocol> onAccepted, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var errors = new SocketErrorBackoff(TimeSpan.FromMilliseconds(100), _time);
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(cancellationToken).ConfigureAwait(false);
                errors.Reset();
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex) when (SocketErrorBackoff.IsStopping(ex))
            {
                break;
            }
            catch (SocketException ex)
            {
                // e.g. too many open files: keep listening, but do not spin while the condition lasts.
                _logger.TcpAcceptError(ex.SocketErrorCode, LocalEndPoint);
                await errors.OnErrorAsync(cancellationToken).ConfigureAwait(false);

                continue;
            }

            onAccepted(accepted, LocalEndPoint.Protocol);
        }
    }
}
