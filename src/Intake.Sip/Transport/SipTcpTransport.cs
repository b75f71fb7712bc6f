using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>
/// TCP side of the transport layer: listeners, the connection table, outbound connects and the idle heartbeat.
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
    private readonly Dictionary<IPEndPoint, Task<SipTcpConnection?>> _pendingConnects = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Action<SipTcpConnection> _onClosed;
    private ITimer? _heartbeat;

    public SipTcpTransport(SipTransportOptions options, SipInboundHandler handler, TimeProvider time, ILogger logger)
    {
        _options = options;
        _handler = handler;
        _time = time;
        _logger = logger;
        _table = new SipTcpConnectionTable(options.MaxTcpConnections, options.MaxTcpConnectionsPerSource);
        _onClosed = _table.Remove;
    }

    public int ActiveConnections => _table.Count;

    /// <summary>Binds a listener (not yet accepting); throws <see cref="SocketException"/> on failure.</summary>
    public SipEndPoint AddListener(IPEndPoint endPoint)
    {
        var listener = SipTcpListener.Bind(endPoint, _time, _logger);
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

    public async ValueTask<bool> SendAsync(IPEndPoint remote, ReadOnlyMemory<byte> data, long connectionId, CancellationToken cancellationToken)
    {
        if (connectionId != 0 && _table.FindById(connectionId) is { } byId
            && await byId.SendAsync(data, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        // RFC 3261 §18.2.2: when the original connection is gone, fall back to another one to the same peer, else connect.
        if (_table.FindByRemote(remote) is { } byRemote && await byRemote.SendAsync(data, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var connected = await GetOrConnectAsync(remote).WaitAsync(cancellationToken).ConfigureAwait(false);
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
            pending = [.. _pendingConnects.Values];
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

    private void OnAccepted(Socket socket)
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
        var connection = new SipTcpConnection(
            _table.NextId(),
            new NetworkStream(socket, ownsSocket: true),
            new SipEndPoint(SipTransportProtocol.Tcp, remote),
            new SipEndPoint(SipTransportProtocol.Tcp, local),
            isOutbound: false,
            _options.TcpWriteTimeout,
            _time,
            _logger);
        _table.Register(connection);
        _logger.TcpConnectionOpened(connection.Id, "accepted from", connection.Remote, connection.Local);
        connection.Start(_handler, _options.Limits, _onClosed);
    }

    private Task<SipTcpConnection?> GetOrConnectAsync(IPEndPoint remote)
    {
        // Concurrent sends to a peer with no connection share one connect attempt instead of opening several.
        lock (_connectLock)
        {
            if (!_pendingConnects.TryGetValue(remote, out var pending))
            {
                pending = ConnectAndForgetAsync(remote);
                _pendingConnects[remote] = pending;
            }

            return pending;
        }
    }

    private async Task<SipTcpConnection?> ConnectAndForgetAsync(IPEndPoint remote)
    {
        // Guarantees the task is in _pendingConnects before the finally below removes it.
        await Task.Yield();
        try
        {
            return _table.FindByRemote(remote) ?? await ConnectAsync(remote).ConfigureAwait(false);
        }
        finally
        {
            lock (_connectLock)
            {
                _pendingConnects.Remove(remote);
            }
        }
    }

    private async Task<SipTcpConnection?> ConnectAsync(IPEndPoint remote)
    {
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

        var connection = new SipTcpConnection(
            _table.NextId(),
            new NetworkStream(socket, ownsSocket: true),
            new SipEndPoint(SipTransportProtocol.Tcp, remote),
            new SipEndPoint(SipTransportProtocol.Tcp, (IPEndPoint)socket.LocalEndPoint!),
            isOutbound: true,
            _options.TcpWriteTimeout,
            _time,
            _logger);
        _table.Register(connection);
        _logger.TcpConnectionOpened(connection.Id, "connected to", connection.Remote, connection.Local);
        connection.Start(_handler, _options.Limits, _onClosed);
        return connection;
    }

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
