using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Intake.Sip.Tests.Transport;

/// <summary>A one-connection TLS server on loopback that the transport connects out to.</summary>
internal sealed class TlsTestServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;

    public TlsTestServer(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Accepts one connection and completes the server handshake; null when the client aborted it.</summary>
    public async Task<SslStream?> AcceptAsync()
    {
        var client = await _listener.AcceptTcpClientAsync().WaitAsync(InboundRecorder.Timeout);
        var stream = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await stream.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions { ServerCertificate = _certificate, EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 })
                .WaitAsync(InboundRecorder.Timeout);
            return stream;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await stream.DisposeAsync();
            return null;
        }
    }

    public void Dispose() => _listener.Dispose();
}
