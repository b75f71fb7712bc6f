using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>
/// One UDP socket bound to a listen endpoint. Requests are received and responses sent on the same socket so that
/// answers leave from the port the request arrived on (RFC 3261 §18.2.2, RFC 3581 symmetric response routing).
/// Receiving and processing are two loops: the receive loop only sorts each datagram by its source and start line
/// (<see cref="ISipInboundClassifier"/>) into a high, normal or low queue, or drops it unparsed; a few processing
/// workers hand them to the handler, high ones first, each call's messages one at a time and in arrival order. So a
/// flood of low-priority datagrams costs the receive loop a copy each, and an emergency INVITE waits neither for the
/// flood received before it nor for another call's slow handler.
/// </summary>
internal sealed partial class SipUdpChannel : IAsyncDisposable
{
    private const int MaxDatagramBytes = 65535;

    // Bounds the sender-address cache that keeps the receive path free of per-datagram IPEndPoint allocations.
    private const int RemoteCacheLimit = 1024;

    private readonly Socket _socket;
    private readonly SipInboundHandler _handler;
    private readonly ISipInboundClassifier _classifier;
    private readonly SipInboundQueue<QueuedDatagram> _queue;
    private readonly LogThrottle _shedLog;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<SocketAddress, IPEndPoint> _remoteCache = [];
    private readonly IPEndPoint _endPointFactory;
    private readonly CancellationTokenSource _stopping = new();
    private Task _receiveLoop = Task.CompletedTask;
    private readonly int _processingConcurrency;
    private Task _processLoop = Task.CompletedTask;

    private SipUdpChannel(Socket socket, SipTransportOptions options, SipInboundHandler handler, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _handler = handler;
        _classifier = options.InboundClassifier;
        _queue = new SipInboundQueue<QueuedDatagram>(options.InboundHighQueueCapacity, options.InboundNormalQueueCapacity, options.InboundLowQueueCapacity);
        _shedLog = new LogThrottle(ShedLogInterval, time);
        _processingConcurrency = options.ProcessingConcurrency;
        _time = time;
        _logger = logger;
        var bound = (IPEndPoint)socket.LocalEndPoint!;
        _endPointFactory = bound;
        LocalEndPoint = new SipEndPoint(SipTransportProtocol.Udp, bound);
    }

    public SipEndPoint LocalEndPoint { get; }

    public AddressFamily AddressFamily => LocalEndPoint.Address.AddressFamily;

    /// <summary>Binds the socket; throws <see cref="SocketException"/> when the endpoint is unavailable.</summary>
    public static SipUdpChannel Bind(IPEndPoint endPoint, SipTransportOptions options, SipInboundHandler handler, TimeProvider time, ILogger logger)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // IPv4 and IPv6 get separate sockets, so "[::]" must not also claim the IPv4 port.
                socket.DualMode = false;
            }

            socket.ReceiveBufferSize = options.UdpReceiveBufferBytes;
            socket.Bind(endPoint);
            return new SipUdpChannel(socket, options, handler, time, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Start()
    {
        _processLoop = Task.WhenAll(Enumerable.Range(0, _processingConcurrency).Select(_ => ProcessLoopAsync(_stopping.Token)));
        _receiveLoop = ReceiveLoopAsync(_stopping.Token);
    }

    public async ValueTask<bool> SendAsync(IPEndPoint remote, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(data, SocketFlags.None, remote, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException ex)
        {
            _logger.UdpSendFailed(remote, ex.SocketErrorCode.ToString());
            return false;
        }
        catch (ObjectDisposedException)
        {
            _logger.UdpSendFailed(remote, "socket closed");
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _receiveLoop.ConfigureAwait(false);
        await _processLoop.ConfigureAwait(false);
        ReturnQueued();
        _queue.Dispose();
        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagramBytes);
        var address = new SocketAddress(_socket.AddressFamily);
        var errors = new SocketErrorBackoff(TimeSpan.FromMilliseconds(50), _time);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                int received;
                try
                {
                    received = await _socket.ReceiveFromAsync(buffer.AsMemory(0, MaxDatagramBytes), SocketFlags.None, address, cancellationToken)
                        .ConfigureAwait(false);
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
                    // e.g. ConnectionReset after an ICMP port unreachable: belongs to an earlier send, not to this socket's health.
                    _logger.UdpReceiveError(ex.SocketErrorCode, LocalEndPoint);
                    await errors.OnErrorAsync(cancellationToken).ConfigureAwait(false);

                    continue;
                }

                var datagram = buffer.AsMemory(0, received);
                if (IsKeepAlive(datagram.Span))
                {
                    continue;
                }

                var remote = new SipEndPoint(SipTransportProtocol.Udp, ResolveRemote(address));
                if (!TryAdmit(datagram.Span, remote, out var blocked) && !await WaitForHighRoomAsync(blocked, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Empty datagrams and bare CRLF sequences are NAT keep-alives (RFC 5626 §4.4.1 style), not messages.</summary>
    internal static bool IsKeepAlive(ReadOnlySpan<byte> datagram) => datagram.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0;

    private IPEndPoint ResolveRemote(SocketAddress address)
    {
        // Only the receive loop touches the cache, so it needs no lock.
        if (_remoteCache.TryGetValue(address, out var cached))
        {
            return cached;
        }

        var remote = (IPEndPoint)_endPointFactory.Create(address);
        if (_remoteCache.Count >= RemoteCacheLimit)
        {
            _remoteCache.Clear();
        }

        var key = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(key.Buffer.Span);
        _remoteCache[key] = remote;
        return remote;
    }
}
