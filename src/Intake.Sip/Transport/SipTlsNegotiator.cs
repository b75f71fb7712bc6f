using System.ComponentModel;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transport;

/// <summary>
/// TLS handshakes for SIP connections (RFC 3261 §26.2, RFC 5630): TLS 1.2 and 1.3 only, no renegotiation, each handshake
/// bounded by <see cref="SipTransportOptions.TlsHandshakeTimeout"/>. A failed handshake is logged and yields null.
/// </summary>
internal sealed class SipTlsNegotiator
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private readonly SipTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SipTlsCertificateValidator _validator;
    private readonly SslStreamCertificateContext? _localCertificate;

    public SipTlsNegotiator(SipTransportOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _validator = new SipTlsCertificateValidator(options.TlsTrustedCertificateAuthorities, options.TlsCheckRevocation, time);
        if (options.TlsCertificate is { } certificate)
        {
            // offline: never fetch missing intermediates over the network while starting up.
            _localCertificate = SslStreamCertificateContext.Create(certificate, [.. options.TlsCertificateChain], offline: true);
        }
    }

    /// <summary>Server side of an accepted connection; owns <paramref name="inner"/> whatever the outcome.</summary>
    public async Task<SslStream?> AcceptAsync(Stream inner, IPEndPoint remote, CancellationToken stopping)
    {
        string? rejection = null;
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _localCertificate,
            EnabledSslProtocols = Protocols,
            AllowRenegotiation = false,
            ClientCertificateRequired = _options.TlsRequireClientCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (!_options.TlsRequireClientCertificate)
                {
                    return true;
                }

                rejection = _validator.ValidateClient(certificate, chain, errors);
                return rejection is null;
            },
        };
        var stream = new SslStream(inner, leaveInnerStreamOpen: false);
        var failure = await RunHandshakeAsync(token => stream.AuthenticateAsServerAsync(options, token), stopping).ConfigureAwait(false);
        if (failure is null)
        {
            return stream;
        }

        _logger.TlsAcceptFailed(remote, rejection ?? failure);
        await stream.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>Client side toward <paramref name="remote"/>, which must prove to be <paramref name="targetHost"/>; owns <paramref name="inner"/>.</summary>
    public async Task<SslStream?> ConnectAsync(Stream inner, IPEndPoint remote, string targetHost, CancellationToken stopping)
    {
        string? rejection = null;
        var options = new SslClientAuthenticationOptions
        {
            // An IP literal is used for the identity check but not sent as SNI (RFC 6066 §3).
            TargetHost = targetHost,
            EnabledSslProtocols = Protocols,
            AllowRenegotiation = false,
            ClientCertificateContext = _localCertificate,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                rejection = _validator.ValidateServer(certificate, chain, errors, targetHost);
                return rejection is null;
            },
        };
        var stream = new SslStream(inner, leaveInnerStreamOpen: false);
        var failure = await RunHandshakeAsync(token => stream.AuthenticateAsClientAsync(options, token), stopping).ConfigureAwait(false);
        if (failure is null)
        {
            return stream;
        }

        _logger.TlsConnectFailed(remote, targetHost, rejection ?? failure);
        await stream.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private async Task<string?> RunHandshakeAsync(Func<CancellationToken, Task> handshake, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(_options.TlsHandshakeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            await handshake(linked.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return timeout.IsCancellationRequested ? "handshake timed out" : "transport stopping";
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or ObjectDisposedException or Win32Exception
            or System.Net.Sockets.SocketException)
        {
            return ex.InnerException is { } inner ? ex.Message + " (" + inner.Message + ")" : ex.Message;
        }
    }
}
