using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>
/// SIP transport layer (RFC 3261 §18): UDP sockets and TCP listeners on every listen endpoint, connection reuse for
/// responses and in-dialog requests, CRLF keep-alives (RFC 5626 §3.5.1). With <see cref="SipTransportOptions.EnableTls"/>
/// every listen endpoint also gets a TLS listener on <see cref="SipTransportOptions.TlsPort"/> (RFC 3261 §26.2).
/// </summary>
public sealed class SipTransportLayer : IAsyncDisposable
{
    // Retries when an ephemeral UDP port happens to be taken for TCP, so both protocols can share one port.
    private const int EphemeralBindAttempts = 8;

    private readonly SipTransportOptions _options;
    private readonly SipInboundHandler _handler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<SipUdpChannel> _udpChannels = [];
    private readonly List<SipEndPoint> _localEndPoints = [];
    private readonly SipTcpTransport _tcp;
    private int _state;

    public SipTransportLayer(SipTransportOptions options, SipInboundHandler handler, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(options.ListenEndPoints);
        ArgumentNullException.ThrowIfNull(options.Limits);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.TcpIdleTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTcpConnectionsPerSource, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTcpConnections, 1);
        ArgumentNullException.ThrowIfNull(options.InboundClassifier);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InboundHighQueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InboundNormalQueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ProcessingConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InboundLowQueueCapacity, 1);
        ValidateTls(options);
        _options = options;
        _handler = handler;
        _time = time;
        _logger = loggerFactory.CreateLogger<SipTransportLayer>();
        _tcp = new SipTcpTransport(options, AdmitStreamMessageAsync, time, _logger);
    }

    /// <summary>Actually bound endpoints (ephemeral ports resolved), UDP and TCP.</summary>
    public IReadOnlyList<SipEndPoint> LocalEndPoints => _localEndPoints;

    public int ActiveTcpConnections => _tcp.ActiveConnections;

    /// <summary>Binds every listen endpoint and starts receiving. Throws <see cref="InvalidOperationException"/> naming the endpoint that could not be bound.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The SIP transport layer has already been started.");
        }

        try
        {
            foreach (var endPoint in _options.ListenEndPoints)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await BindEndPointAsync(endPoint).ConfigureAwait(false);
            }
        }
        catch
        {
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }

        foreach (var channel in _udpChannels)
        {
            channel.Start();
        }

        if (_options.EnableTcp || _options.EnableTls)
        {
            _tcp.Start();
        }

        foreach (var endPoint in _localEndPoints)
        {
            _logger.Listening(endPoint);
        }
    }

    /// <summary>
    /// TCP and TLS messages pass the same admission as datagrams but need no queues: each connection is read by its
    /// own loop, so a source flooding its connection only delays that connection, and a connection's messages stay
    /// in order because none of them is set aside.
    /// </summary>
    private ValueTask AdmitStreamMessageAsync(SipInboundMessage message)
    {
        SipInboundPriority priority;
        try
        {
            priority = _options.InboundClassifier.Classify(message.Remote, SipStartLinePeek.Read(message.Data.Span));
        }
        catch (Exception ex)
        {
            _logger.ClassifierFailed(ex, message.Remote);
            priority = SipInboundPriority.Low;
        }

        return priority == SipInboundPriority.Discard ? ValueTask.CompletedTask : _handler(message);
    }

    public SipEndPoint? GetLocalEndPoint(SipTransportProtocol protocol, AddressFamily family)
    {
        foreach (var endPoint in _localEndPoints)
        {
            if (endPoint.Protocol == protocol && endPoint.Address.AddressFamily == family)
            {
                return endPoint;
            }
        }

        return null;
    }

    /// <summary>
    /// Sends one whole serialised message. UDP leaves from the listening socket of the remote's address family; TCP reuses
    /// connection <paramref name="connectionId"/> if alive, else any live connection to <paramref name="remote"/>, else connects.
    /// Returns false on any transport error.
    /// </summary>
    public ValueTask<bool> SendAsync(SipEndPoint remote, ReadOnlyMemory<byte> data, long connectionId = 0, CancellationToken ct = default) =>
        SendCoreAsync(remote, data, connectionId, null, ct);

    /// <summary>
    /// As <see cref="SendAsync(SipEndPoint, ReadOnlyMemory{byte}, long, CancellationToken)"/> for TLS to a server that must
    /// prove it is <paramref name="tlsServerName"/> (a SIP domain from the URI, RFC 5922) rather than the bare address.
    /// </summary>
    public ValueTask<bool> SendAsync(SipEndPoint remote, string tlsServerName, ReadOnlyMemory<byte> data, long connectionId = 0, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tlsServerName);
        return SendCoreAsync(remote, data, connectionId, tlsServerName, ct);
    }

    private ValueTask<bool> SendCoreAsync(SipEndPoint remote, ReadOnlyMemory<byte> data, long connectionId, string? tlsServerName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(remote.Address);
        if (Volatile.Read(ref _state) != 1)
        {
            return ValueTask.FromResult(false);
        }

        switch (remote.Protocol)
        {
            case SipTransportProtocol.Udp:
                foreach (var channel in _udpChannels)
                {
                    if (channel.AddressFamily == remote.Address.AddressFamily)
                    {
                        return channel.SendAsync(remote.Address, data, ct);
                    }
                }

                _logger.NoUdpSocketForFamily(remote.Address, remote.Address.AddressFamily);
                return ValueTask.FromResult(false);
            case SipTransportProtocol.Tcp when _options.EnableTcp:
                return _tcp.SendAsync(remote, data, connectionId, null, ct);
            case SipTransportProtocol.Tls when _options.EnableTls:
                return _tcp.SendAsync(remote, data, connectionId, tlsServerName, ct);
            case SipTransportProtocol.Tls:
                _logger.TlsNotEnabled(remote.Address);
                return ValueTask.FromResult(false);
            default:
                return ValueTask.FromResult(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        foreach (var channel in _udpChannels)
        {
            await channel.DisposeAsync().ConfigureAwait(false);
        }

        await _tcp.DisposeAsync().ConfigureAwait(false);
    }

    private async Task BindEndPointAsync(IPEndPoint endPoint)
    {
        var attempts = endPoint.Port == 0 && _options.EnableUdp && _options.EnableTcp ? EphemeralBindAttempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            SipUdpChannel? udp = null;
            if (_options.EnableUdp)
            {
                try
                {
                    udp = SipUdpChannel.Bind(endPoint, _options, _handler, _time, _logger);
                }
                catch (SocketException ex)
                {
                    throw new InvalidOperationException($"Cannot bind SIP UDP socket to {endPoint}: {ex.Message}", ex);
                }
            }

            SipEndPoint? tcp = null;
            if (_options.EnableTcp)
            {
                // TCP takes the port UDP got so one Via/Contact port serves both transports.
                var tcpEndPoint = new IPEndPoint(endPoint.Address, udp?.LocalEndPoint.Address.Port ?? endPoint.Port);
                try
                {
                    tcp = _tcp.AddListener(tcpEndPoint, SipTransportProtocol.Tcp);
                }
                catch (SocketException ex) when (attempt < attempts && ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    if (udp is not null)
                    {
                        await udp.DisposeAsync().ConfigureAwait(false);
                    }

                    continue;
                }
                catch (SocketException ex)
                {
                    if (udp is not null)
                    {
                        await udp.DisposeAsync().ConfigureAwait(false);
                    }

                    throw new InvalidOperationException($"Cannot bind SIP TCP listener to {tcpEndPoint}: {ex.Message}", ex);
                }
            }

            if (udp is not null)
            {
                _udpChannels.Add(udp);
                _localEndPoints.Add(udp.LocalEndPoint);
            }

            if (tcp is { } bound)
            {
                _localEndPoints.Add(bound);
            }

            if (_options.EnableTls)
            {
                BindTls(endPoint);
            }

            return;
        }
    }

    private static void ValidateTls(SipTransportOptions options)
    {
        if (!options.EnableTls)
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(options.TlsTrustedCertificateAuthorities);
        ArgumentNullException.ThrowIfNull(options.TlsCertificateChain);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.TlsHandshakeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TlsPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TlsPort, IPEndPoint.MaxPort);
        if (options.TlsCertificate is not { HasPrivateKey: true })
        {
            throw new ArgumentException("SIP over TLS needs TlsCertificate with its private key.", nameof(options));
        }
    }

    private void BindTls(IPEndPoint endPoint)
    {
        var tlsEndPoint = new IPEndPoint(endPoint.Address, _options.TlsPort);
        try
        {
            _localEndPoints.Add(_tcp.AddListener(tlsEndPoint, SipTransportProtocol.Tls));
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"Cannot bind SIP TLS listener to {tlsEndPoint}: {ex.Message}", ex);
        }
    }
}
