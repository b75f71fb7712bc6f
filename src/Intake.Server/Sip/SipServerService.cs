using System.Net;
using Intake.Server.Configuration;
using Intake.Sip.Core;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Sip;

/// <summary>Owns the SIP stack for the host's lifetime: binds the transports at start, closes them last at stop.</summary>
public sealed class SipServerService(
    IntakeConfiguration config,
    IntakeRequestHandler handler,
    IntakeInboundClassifier classifier,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    ILogger<SipServerService> logger) : IHostedService, IAsyncDisposable
{
    private SipStack? _stack;
    private SipTlsMaterial? _tls;

    public SipStack Stack => _stack ?? throw new InvalidOperationException("the SIP stack has not started");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var sip = config.Sip;
        _tls = sip.TlsPort > 0 ? SipTlsMaterial.Load(sip) : null;
        var options = new SipStackOptions
        {
            Transport = new SipTransportOptions
            {
                ListenEndPoints = [new IPEndPoint(IPAddress.Parse(sip.BindAddress), sip.Port)],
                EnableUdp = sip.EnableUdp,
                EnableTcp = sip.EnableTcp,
                TcpIdleTimeout = TimeSpan.FromSeconds(sip.TcpIdleTimeoutSeconds),
                MaxTcpConnectionsPerSource = sip.MaxTcpConnectionsPerSource,
                InboundClassifier = classifier,
                EnableTls = _tls is not null,
                TlsPort = sip.TlsPort,
                TlsCertificate = _tls?.Certificate,
                TlsCertificateChain = _tls?.Chain ?? [],
                TlsTrustedCertificateAuthorities = _tls?.TrustedAuthorities ?? [],
                TlsRequireClientCertificate = sip.TlsRequireClientCertificate,
            },
            Timers = new SipTimerOptions
            {
                T1 = TimeSpan.FromMilliseconds(sip.T1Milliseconds),
                T2 = TimeSpan.FromMilliseconds(sip.T2Milliseconds),
                T4 = TimeSpan.FromMilliseconds(sip.T4Milliseconds),
            },
            AdvertisedHost = sip.AdvertisedAddress,
            UserAgent = sip.UserAgent,
        };

        var stack = new SipStack(options, handler, time, loggerFactory);
        handler.Attach(stack);
        await stack.StartAsync(cancellationToken).ConfigureAwait(false);
        _stack = stack;

        ServerLog.Listening(logger, string.Join(", ", stack.LocalEndPoints));
        if (_tls is not null)
        {
            _tls.LogLoaded(logger, time);
        }
        foreach (var queue in config.Queues)
        {
            ServerLog.ServingQueue(logger, queue.Name, string.Join(", ", queue.Numbers), queue.Priority);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await handler.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_stack is not null)
        {
            await _stack.DisposeAsync().ConfigureAwait(false);
            _stack = null;
        }

        _tls?.Dispose();
        _tls = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync().ConfigureAwait(false);
            _stack = null;
        }

        _tls?.Dispose();
        _tls = null;
    }
}
