using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// A SIP peer over TLS for the integration tests: verifies Intake's certificate against the test CA and the address
/// (as a trunk would), then exchanges whole SIP messages on the one connection.
/// </summary>
internal sealed class SipTlsPeer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly SslStream _stream;
    private readonly StringBuilder _pending = new();

    private SipTlsPeer(TcpClient tcp, SslStream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_tcp.Client.LocalEndPoint!;

    public SslProtocols Protocol => _stream.SslProtocol;

    /// <summary>Connects and authenticates Intake against <paramref name="authority"/> only (not the system store).</summary>
    public static async Task<SipTlsPeer> ConnectAsync(int port, X509Certificate2 authority)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
        var stream = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var chainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        chainPolicy.CustomTrustStore.Add(authority);
        await stream.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateChainPolicy = chainPolicy,
        }).WaitAsync(Timeout);
        return new SipTlsPeer(tcp, stream);
    }

    public async Task SendAsync(string message)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(message)).AsTask().WaitAsync(Timeout);
        await _stream.FlushAsync().WaitAsync(Timeout);
    }

    /// <summary>The next whole message (headers plus Content-Length body), or null when none arrives in time.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        while (true)
        {
            if (TryTakeMessage(out var message))
            {
                return message;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    /// <summary>Skips provisional responses and requests; returns the first final response, or null.</summary>
    public async Task<string?> ReceiveFinalAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var message = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is null)
            {
                return null;
            }

            if (message.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && int.Parse(message.AsSpan(8, 3)) >= 200)
            {
                return message;
            }
        }

        return null;
    }

    public static string NewBranch() => "z9hG4bK" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }

    private bool TryTakeMessage(out string message)
    {
        message = "";
        var text = _pending.ToString();
        var start = 0;
        while (text.AsSpan(start).StartsWith("\r\n"))
        {
            start += 2;
        }

        var end = text.IndexOf("\r\n\r\n", start, StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = text[start..end];
        var length = 0;
        foreach (var line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase) || line.StartsWith("l:", StringComparison.Ordinal))
            {
                length = int.Parse(line[(line.IndexOf(':') + 1)..].Trim());
            }
        }

        var total = end + 4 + length;
        if (text.Length < total)
        {
            return false;
        }

        message = text[start..total];
        _pending.Remove(0, total);
        return true;
    }
}
