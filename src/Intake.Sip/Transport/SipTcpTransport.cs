using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>
/// Stream side of the transport layer, TCP and TLS alike: listeners, the connection table, outbound connects (with the
/// TLS handshake for TLS) and the idle heartbeat. TLS connections share the TCP limits, id space and framing.
/// </summary>
internal sealed class SipTcpTransport : IAsyncDisposable
{
    // The heartbeat runs several times per idle period so a connection outlives its timeout by at most a quarter of it.
    private const int HeartbeatsPerIdlePeriod = 4;
    private static readonly TimeSpan MinHeartbeat = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxHeartbeat = TimeSpan.FromSeconds(30);

    private readonly SipTransportOptions _options;
    private readonly SipInboundHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SipTcpConnectionTable _table;
    private readonly List<SipTcpListener> _listeners = [];
    private readonly Lock _connectLock = new();
    private readonly Dictionary<(SipEndPoint Remote, string? ServerName), Task<SipTcpConnection?>> _pendingConnects = [];
    private readonly Dictionary<long, Task> _pendingHandshakes = [];
    private readonly SipTlsNegotiator? _tls;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<SipTcpConnection> _onClosed;
    private ITimer? _heartbeat;
    private long _lastHandshakeId;

    public SipTcpTransport(SipTransportOptions options, SipInboundHandler handler, TimeProvider time, ILogger logger)
    {
        _options = options;
        _handler = handler;
        _time = time;
        _logger = logger;
        _table = new SipTcpConnectionTable(options.MaxTcpConnections, options.MaxTcpConnectionsPerSource);
        _onClosed = _table.Remove;
        _tls = options.EnableTls ? new SipTlsNegotiator(options, time, logger) : null;
    }

    public int ActiveConnections => _table.Count;

    /// <summary>Binds a TCP or TLS listener (not yet accepting); throws <see cref="SocketException"/> on failure.</summary>
    public SipEndPoint AddListener(IPEndPoint endPoint, SipTransportProtocol protocol)
    {
        var listener = SipTcpListener.Bind(endPoint, protocol, _time, _logger);
        _listeners.Add(listener);
        return listener.LocalEndPoint;
    }

    public void Start()
    {
        foreach (var listener in _listeners)
        {
            listener.Start(OnAccepted);
        }

        var period = _options.TcpIdleTimeout / HeartbeatsPerIdlePeriod;
        period = period < MinHeartbeat ? MinHeartbeat : period > MaxHeartbeat ? MaxHeartbeat : period;
        _heartbeat = _time.CreateTimer(static state => ((SipTcpTransport)state!).CloseIdleConnections(), this, period, period);
    }

    /// <summary>
    /// Sends over connection <paramref name="connectionId"/>, else a live connection to <paramref name="remote"/>, else a new
    /// one. For TLS, <paramref name="tlsServerName"/> is the identity the server must prove (the address when null); a
    /// connection verified for another name is not reused for it.
    /// </summary>
    public async ValueTask<bool> SendAsync(
        SipEndPoint remote, ReadOnlyMemory<byte> data, long connectionId, string? tlsServerName, CancellationToken cancellationToken)
    {
        if (connectionId != 0 && _table.FindById(connectionId) is { } byId && byId.Remote.Protocol == remote.Protocol
            && await byId.SendAsync(data, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // RFC 3261 §18.2.2: when the original connection is gone, fall back to another one to the same peer, else connect.
        if (_table.FindByRemote(remote) is { } byRemote
            && (tlsServerName is null || string.Equals(byRemote.TlsServerName, tlsServerName, StringComparison.OrdinalIgnoreCase))
            && await byRemote.SendAsync(data, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        if (remote.Protocol == SipTransportProtocol.Tls && _tls is null)
        {
            _logger.TlsNotEnabled(remote.Address);
            return false;
        }

        var connected = await GetOrConnectAsync(remote, tlsServerName).WaitAsync(cancellationToken).ConfigureAwait(false);
        return connected is not null && await connected.SendAsync(data, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        Task[] pending;
        lock (_connectLock)
        {
            pending = [.. _pendingConnects.Values, .. _pendingHandshakes.Values];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        var connections = _table.Snapshot();
        foreach (var connection in connections)
        {
            connection.Close("transport stopping");
        }

        await Task.WhenAll(connections.Select(c => c.Completion)).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private void OnAccepted(Socket socket, SipTransportProtocol protocol)
    {
        IPEndPoint remote;
        IPEndPoint local;
        try
        {
            remote = (IPEndPoint)socket.RemoteEndPoint!;
            local = (IPEndPoint)socket.LocalEndPoint!;
        }
        catch (SocketException)
        {
            // The peer reset before we looked at it; nothing to admit.
            socket.Dispose();
            return;
        }

        if (!_table.TryReserve(remote.Address, inbound: true, out var rejection))
        {
            _logger.TcpConnectionRejected(remote, rejection!);
            socket.Dispose();
            return;
        }

        socket.NoDelay = true;
        var stream = new NetworkStream(socket, ownsSocket: true);
        if (protocol == SipTransportProtocol.Tls && _tls is not null)
        {
            // The handshake runs off the accept loop; the reserved slot keeps limits honest meanwhile.
            var handshakeId = Interlocked.Increment(ref _lastHandshakeId);
            lock (_connectLock)
            {
                _pendingHandshakes[handshakeId] = AcceptTlsAsync(handshakeId, stream, remote, local);
            }

            return;
        }

        Open(stream, new SipEndPoint(SipTransportProtocol.Tcp, remote), new SipEndPoint(SipTransportProtocol.Tcp, local), isOutbound: false, null);
    }

    private async Task AcceptTlsAsync(long handshakeId, NetworkStream stream, IPEndPoint remote, IPEndPoint local)
    {
        // Guarantees the task is in _pendingHandshakes before the finally below removes it.
        await Task.Yield();
        try
        {
            var secured = await _tls!.AcceptAsync(stream, remote, _stopping.Token).ConfigureAwait(false);
            if (secured is null)
            {
                _table.Unreserve(remote.Address);
                return;
            }

            Open(secured, new SipEndPoint(SipTransportProtocol.Tls, remote), new SipEndPoint(SipTransportProtocol.Tls, local), isOutbound: false, null);
        }
        finally
        {
            lock (_connectLock)
            {
                _pendingHandshakes.Remove(handshakeId);
            }
        }
    }

    private SipTcpConnection Open(Stream stream, SipEndPoint remote, SipEndPoint local, bool isOutbound, string? tlsServerName)
    {
        var connection = new SipTcpConnection(_table.NextId(), stream, remote, local, isOutbound, _options.TcpWriteTimeout, _time, _logger)
        {
            TlsServerName = tlsServerName,
        };
        _table.Register(connection);
        _logger.TcpConnectionOpened(connection.Id, isOutbound ? "connected to" : "accepted from", connection.Remote, connection.Local);
        connection.Start(_handler, _options.Limits, _onClosed);
        return connection;
    }

    private Task<SipTcpConnection?> GetOrConnectAsync(SipEndPoint remote, string? tlsServerName)
    {
        // Concurrent sends to a peer with no connection share one connect attempt instead of opening several.
        var key = (remote, tlsServerName);
        lock (_connectLock)
        {
            if (!_pendingConnects.TryGetValue(key, out var pending))
            {
                pending = ConnectAndForgetAsync(remote, tlsServerName);
                _pendingConnects[key] = pending;
            }

            return pending;
        }
    }

    private async Task<SipTcpConnection?> ConnectAndForgetAsync(SipEndPoint remote, string? tlsServerName)
    {
        // Guarantees the task is in _pendingConnects before the finally below removes it.
        await Task.Yield();
        try
        {
            if (_table.FindByRemote(remote) is { } existing
                && (tlsServerName is null || string.Equals(existing.TlsServerName, tlsServerName, StringComparison.OrdinalIgnoreCase)))
            {
                return existing;
            }

            return await ConnectAsync(remote, tlsServerName).ConfigureAwait(false);
        }
        finally
        {
            lock (_connectLock)
            {
                _pendingConnects.Remove((remote, tlsServerName));
            }
        }
    }

    private async Task<SipTcpConnection?> ConnectAsync(SipEndPoint target, string? tlsServerName)
    {
        var remote = target.Address;
        if (_stopping.IsCancellationRequested)
        {
            return null;
        }

        if (!_table.TryReserve(remote.Address, inbound: false, out var rejection))
        {
            _logger.TcpConnectFailed(remote, rejection!);
            return null;
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(_options.TcpConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        try
        {
            await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Dispose();
            _table.Unreserve(remote.Address);
            _logger.TcpConnectFailed(remote, timeout.IsCancellationRequested ? "timed out" : ex.Message);
            return null;
        }

        var local = (IPEndPoint)socket.LocalEndPoint!;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (target.Protocol == SipTransportProtocol.Tls)
        {
            // Without DNS the identity to verify is the address itself unless the caller named the host (RFC 5922 §7.3).
            var serverName = tlsServerName ?? FormatAddress(remote.Address);
            var secured = await _tls!.ConnectAsync(stream, remote, serverName, _stopping.Token).ConfigureAwait(false);
            if (secured is null)
            {
                _table.Unreserve(remote.Address);
                return null;
            }

            return Open(secured, target, new SipEndPoint(SipTransportProtocol.Tls, local), isOutbound: true, serverName);
        }

        return Open(stream, target, new SipEndPoint(SipTransportProtocol.Tcp, local), isOutbound: true, null);
    }

    private static string FormatAddress(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private void CloseIdleConnections()
    {
        foreach (var connection in _table.Snapshot())
        {
            var idle = connection.IdleTime;
            if (connection.IsAlive && idle >= _options.TcpIdleTimeout)
            {
                _logger.TcpIdleTimeout(connection.Id, connection.Remote, idle);
                connection.Close("idle timeout");
            }
        }
    }
}
