using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Intake.Sip.Transport;
using Microsoft.Extensions.Time.Testing;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

public sealed class SipTlsTransportTests : IDisposable
{
    private readonly TlsTestCertificates _pki = new();
    private readonly X509Certificate2 _intakeCertificate;

    public SipTlsTransportTests()
    {
        _intakeCertificate = _pki.Issue("intake.test", ["intake.test"], [IPAddress.Loopback]);
    }

    public void Dispose() => _pki.Dispose();

    [Fact]
    public async Task Listener_ClientSendsOptionsOverTls_HandlerGetsMessageWithTlsEndpoints()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTlsAsync(recorder);
        var server = TlsEndPoint(layer);
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(server);
        await using var client = await AuthenticateClientAsync(tcp);
        var options = Bytes(Options("tls-options"));

        await client.WriteAsync(options);
        var received = await recorder.NextAsync();

        Assert.Equal(options, received.Data);
        Assert.Equal(new SipEndPoint(SipTransportProtocol.Tls, (IPEndPoint)tcp.Client.LocalEndPoint!), received.Remote);
        Assert.Equal(new SipEndPoint(SipTransportProtocol.Tls, server), received.Local);
        Assert.NotEqual(0, received.ConnectionId);
        Assert.True(client.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13);
    }

    [Fact]
    public async Task SendAsync_ResponseWithInboundConnectionId_ArrivesOnSameTlsConnection()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTlsAsync(recorder);
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(TlsEndPoint(layer));
        await using var client = await AuthenticateClientAsync(tcp);
        await client.WriteAsync(Bytes(Options("tls-reply")));
        var request = await recorder.NextAsync();
        var response = Bytes(Ok("tls-reply"));

        var sent = await layer.SendAsync(request.Remote, response, request.ConnectionId);

        Assert.True(sent);
        Assert.Equal(response, await ReadExactlyAsync(client, response.Length));
        Assert.Equal(1, layer.ActiveTcpConnections);
    }

    [Fact]
    public async Task SendAsync_OutboundToServerTrustedViaExtraCa_DeliversReusesAndReceivesReply()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTlsAsync(recorder, o => o with { TlsTrustedCertificateAuthorities = [_pki.Authority] });
        using var server = new TlsTestServer(_pki.Issue("peer.test", addresses: [IPAddress.Loopback]));
        var remote = new SipEndPoint(SipTransportProtocol.Tls, server.EndPoint);
        var first = Bytes(Options("out-1"));
        var second = Bytes(Options("out-2"));

        var accepting = server.AcceptAsync();
        Assert.True(await layer.SendAsync(remote, first));
        Assert.True(await layer.SendAsync(remote, second));
        await using var peer = await accepting;

        Assert.NotNull(peer);
        byte[] both = [.. first, .. second];
        Assert.Equal(both, await ReadExactlyAsync(peer, both.Length));
        Assert.Equal(1, layer.ActiveTcpConnections);
        var reply = Bytes(Ok("out-1"));
        await peer.WriteAsync(reply);
        var received = await recorder.NextAsync();
        Assert.Equal(reply, received.Data);
        Assert.Equal(remote, received.Remote);
    }

    [Fact]
    public async Task SendAsync_OutboundToUntrustedCertificate_ReturnsFalseAndLogsReason()
    {
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartTlsAsync(new InboundRecorder(), logs: logs);
        using var rogue = TlsTestCertificates.SelfSigned("rogue.test", IPAddress.Loopback);
        using var server = new TlsTestServer(rogue);

        var accepting = server.AcceptAsync();
        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Tls, server.EndPoint), Bytes(Options("rogue")));
        await using var peer = await accepting;

        Assert.False(sent);
        Assert.Equal(0, layer.ActiveTcpConnections);
        Assert.True(logs.Contains("not trusted"), string.Join(Environment.NewLine, logs.Lines));
    }

    [Fact]
    public async Task SendAsync_OutboundCertificateForOtherAddress_ReturnsFalseAndLogsNameMismatch()
    {
        var logs = new CapturingLoggerFactory();
        await using var layer = await StartTlsAsync(
            new InboundRecorder(), o => o with { TlsTrustedCertificateAuthorities = [_pki.Authority] }, logs: logs);
        using var server = new TlsTestServer(_pki.Issue("peer.test", ["peer.test"], [IPAddress.Parse("127.0.0.2")]));

        var accepting = server.AcceptAsync();
        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Tls, server.EndPoint), Bytes(Options("mismatch")));
        await using var peer = await accepting;

        Assert.False(sent);
        Assert.True(logs.Contains("does not name 127.0.0.1"), string.Join(Environment.NewLine, logs.Lines));
    }

    [Fact]
    public async Task SendAsync_NamedServerWithMatchingDnsName_Succeeds()
    {
        await using var layer = await StartTlsAsync(new InboundRecorder(), o => o with { TlsTrustedCertificateAuthorities = [_pki.Authority] });
        using var server = new TlsTestServer(_pki.Issue("ignored-cn", ["sip.peer.test"]));
        var message = Bytes(Options("named"));

        var accepting = server.AcceptAsync();
        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Tls, server.EndPoint), "SIP.peer.test", message);
        await using var peer = await accepting;

        Assert.True(sent);
        Assert.NotNull(peer);
        Assert.Equal(message, await ReadExactlyAsync(peer, message.Length));
    }

    [Fact]
    public async Task SendAsync_NamedServerWithOnlyWildcardName_ReturnsFalse()
    {
        await using var layer = await StartTlsAsync(new InboundRecorder(), o => o with { TlsTrustedCertificateAuthorities = [_pki.Authority] });
        using var server = new TlsTestServer(_pki.Issue("wildcard", ["*.peer.test"]));

        var accepting = server.AcceptAsync();
        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Tls, server.EndPoint), "sip.peer.test", Bytes(Options("wild")));
        await using var peer = await accepting;

        Assert.False(sent);
    }

    [Fact]
    public async Task Handshake_ClientSendsNothing_ConnectionClosedAfterHandshakeTimeout()
    {
        var logs = new CapturingLoggerFactory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var layer = await StartTlsAsync(new InboundRecorder(), o => o with { TlsHandshakeTimeout = TimeSpan.FromSeconds(5) }, time, logs);
        using var peer = await TcpTestPeer.ConnectAsync(TlsEndPoint(layer));

        var deadline = DateTime.UtcNow + InboundRecorder.Timeout;
        while (!logs.Contains("handshake timed out") && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.True(await peer.WaitForCloseAsync());
        Assert.Equal(0, layer.ActiveTcpConnections);
    }

    [Fact]
    public async Task Listener_ClientCertificateRequiredButMissing_HandshakeFails()
    {
        var logs = new CapturingLoggerFactory();
        var recorder = new InboundRecorder();
        await using var layer = await StartTlsAsync(
            recorder, o => o with { TlsRequireClientCertificate = true, TlsTrustedCertificateAuthorities = [_pki.Authority] }, logs: logs);
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(TlsEndPoint(layer));

        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var client = await AuthenticateClientAsync(tcp);
            await client.WriteAsync(Bytes(Options("no-client-cert")));
            await ReadExactlyAsync(client, 1);
        });

        Assert.NotNull(failure);
        Assert.False(recorder.TryTake(out _));
        Assert.True(logs.Contains("handshake with client"), string.Join(Environment.NewLine, logs.Lines));
    }

    [Fact]
    public async Task Listener_ClientCertificateRequiredAndTrusted_MessageDelivered()
    {
        var recorder = new InboundRecorder();
        await using var layer = await StartTlsAsync(
            recorder, o => o with { TlsRequireClientCertificate = true, TlsTrustedCertificateAuthorities = [_pki.Authority] });
        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(TlsEndPoint(layer));
        var clientCertificate = _pki.Issue("trunk.test", ["trunk.test"]);

        await using var client = await AuthenticateClientAsync(tcp, clientCertificate);
        await client.WriteAsync(Bytes(Options("mutual")));

        Assert.Equal("mutual", (await recorder.NextAsync()).Text.Split("Call-ID: ")[1].Split("\r\n")[0]);
    }

    [Fact]
    public async Task SendAsync_TlsNotEnabled_ReturnsFalse()
    {
        var options = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)], EnableUdp = false };
        await using var layer = new SipTransportLayer(options, new InboundRecorder().HandleAsync, TimeProvider.System, new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);

        var sent = await layer.SendAsync(new SipEndPoint(SipTransportProtocol.Tls, new IPEndPoint(IPAddress.Loopback, 5061)), Bytes(Options("off")));

        Assert.False(sent);
        Assert.Null(layer.GetLocalEndPoint(SipTransportProtocol.Tls, AddressFamily.InterNetwork));
    }

    [Fact]
    public void Constructor_TlsCertificateWithoutPrivateKey_Throws()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_intakeCertificate.RawData);
        var options = new SipTransportOptions
        {
            ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            EnableTls = true,
            TlsPort = 0,
            TlsCertificate = publicOnly,
        };

        var error = Assert.Throws<ArgumentException>(
            () => new SipTransportLayer(options, new InboundRecorder().HandleAsync, TimeProvider.System, new CapturingLoggerFactory()));

        Assert.Contains("private key", error.Message);
    }

    private static IPEndPoint TlsEndPoint(SipTransportLayer layer) =>
        layer.GetLocalEndPoint(SipTransportProtocol.Tls, AddressFamily.InterNetwork)!.Value.Address;

    private async Task<SslStream> AuthenticateClientAsync(TcpClient tcp, X509Certificate2? clientCertificate = null)
    {
        var stream = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: true);
        var expected = _intakeCertificate.GetCertHashString();
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "intake.test",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected,
        }).WaitAsync(InboundRecorder.Timeout);
        return stream;
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(InboundRecorder.Timeout);
        return buffer;
    }

    private async Task<SipTransportLayer> StartTlsAsync(
        InboundRecorder recorder,
        Func<SipTransportOptions, SipTransportOptions>? configure = null,
        TimeProvider? time = null,
        CapturingLoggerFactory? logs = null)
    {
        var options = new SipTransportOptions
        {
            ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)],
            EnableUdp = false,
            EnableTls = true,
            TlsPort = 0,
            TlsCertificate = _intakeCertificate,
        };
        options = configure?.Invoke(options) ?? options;
        var layer = new SipTransportLayer(options, recorder.HandleAsync, time ?? TimeProvider.System, logs ?? new CapturingLoggerFactory());
        await layer.StartAsync(CancellationToken.None);
        return layer;
    }
}
