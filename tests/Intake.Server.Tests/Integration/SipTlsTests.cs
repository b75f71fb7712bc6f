using System.Diagnostics;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// SIP over TLS against the real server: a generated private CA signs Intake's certificate (127.0.0.1 in
/// subjectAltName), peers trust only that CA. The installed SIPp is built without TLS, so the peers are openssl
/// s_client and an SslStream caller.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class SipTlsTests : IDisposable
{
    private const string PfxPassword = "tls-test-Secret!";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("intake-tls-").FullName;
    private readonly X509Certificate2 _authority;
    private readonly X509Certificate2 _intake;

    public SipTlsTests()
    {
        _authority = TlsTestPki.CreateAuthority();
        _intake = TlsTestPki.Issue(_authority, "intake.test");
    }

    public void Dispose()
    {
        _intake.Dispose();
        _authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TlsCall_SslStreamCaller_InviteAnsweredAckAndByeOnOneConnection()
    {
        var tlsPort = FreePorts.Next();
        await using var server = await IntakeServerProcess.StartAsync([.. TlsArgs(tlsPort, WritePfx()), "--Intake:OperatorKeepAliveSeconds=0"]);
        await server.WaitForOutputAsync($"tls:127.0.0.1:{tlsPort}", Timeout);

        await using var caller = await SipTlsPeer.ConnectAsync(tlsPort, _authority);
        Assert.True(caller.Protocol is SslProtocols.Tls12 or SslProtocols.Tls13);
        var local = caller.LocalEndPoint;
        await caller.SendAsync(Request("INVITE", tlsPort, local, "tls-call", 1, toTag: null, Sdp));
        var ok = await caller.ReceiveFinalAsync(Timeout);

        Assert.NotNull(ok);
        Assert.StartsWith("SIP/2.0 200", ok);
        Assert.Matches($@"(?im)^Contact:.*127\.0\.0\.1:{tlsPort};transport=tls", ok);
        Assert.Matches(@"(?im)^Via: SIP/2\.0/TLS ", ok);
        await server.WaitForOutputAsync("to 19 (police)", Timeout);

        var toTag = ToTag().Match(ok).Groups["tag"].Value;
        await caller.SendAsync(Request("ACK", tlsPort, local, "tls-call", 1, toTag, body: null));
        await caller.SendAsync(Request("BYE", tlsPort, local, "tls-call", 2, toTag, body: null));
        var byeOk = await caller.ReceiveFinalAsync(Timeout);

        Assert.NotNull(byeOk);
        Assert.StartsWith("SIP/2.0 200", byeOk);
        Assert.Matches(@"(?im)^CSeq: 2 BYE", byeOk);
        await server.WaitForOutputAsync("ended", Timeout);
    }

    [Fact]
    public async Task TlsOptions_OpenSslClientWithPemCertificate_VerifiesServerAndGets200()
    {
        var tlsPort = FreePorts.Next();
        var (certificatePath, keyPath) = WritePem();
        var caPath = Path.Combine(_directory, "ca.pem");
        await File.WriteAllTextAsync(caPath, _authority.ExportCertificatePem());
        await using var server = await IntakeServerProcess.StartAsync(
            [$"--Sip:TlsPort={tlsPort}", $"--Sip:CertificatePath={certificatePath}", $"--Sip:CertificateKeyPath={keyPath}"]);

        var response = await OpenSslExchangeAsync(tlsPort, caPath, $"""
            OPTIONS sips:127.0.0.1:{tlsPort} SIP/2.0
            Via: SIP/2.0/TLS 127.0.0.1:5999;rport;branch={SipTlsPeer.NewBranch()}
            Max-Forwards: 70
            From: <sips:probe@127.0.0.1>;tag=o1
            To: <sips:127.0.0.1:{tlsPort}>
            Call-ID: tls-openssl-options
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);

        Assert.Contains("Verify return code: 0 (ok)", response);
        Assert.Contains("SIP/2.0 200", response);
        Assert.Contains("tls-openssl-options", response);
    }

    [Fact]
    public async Task Start_TlsPortWithoutCertificate_ExitsWithLineNamingKey()
    {
        var (exitCode, output) = await IntakeServerProcess.RunToExitAsync(["--Sip:TlsPort=5061"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("Sip:CertificatePath: required when Sip:TlsPort is set", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Start_PemCertificateWithoutKey_ExitsWithLineNamingKeyPath()
    {
        var (certificatePath, _) = WritePem();

        var (exitCode, output) = await IntakeServerProcess.RunToExitAsync(
            ["--Sip:TlsPort=5061", $"--Sip:CertificatePath={certificatePath}"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("Sip:CertificateKeyPath: required", output);
    }

    [Fact]
    public async Task Start_WrongPfxPasswordAndMissingCaBundle_ExitsNamingBothKeys()
    {
        var (exitCode, output) = await IntakeServerProcess.RunToExitAsync(
            ["--Sip:TlsPort=5061", $"--Sip:CertificatePath={WritePfx()}", "--Sip:CertificatePassword=wrong",
             $"--Sip:TrustedCaPath={Path.Combine(_directory, "absent.pem")}"], TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains("Sip:CertificatePath: cannot read the certificate", output);
        Assert.Contains("Sip:TrustedCaPath: file", output);
    }

    private const string Sdp = "v=0\r\no=tls 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private static string[] TlsArgs(int tlsPort, string pfxPath) =>
        [$"--Sip:TlsPort={tlsPort}", $"--Sip:CertificatePath={pfxPath}", $"--Sip:CertificatePassword={PfxPassword}"];

    private static string Request(string method, int port, IPEndPoint local, string callId, int cseq, string? toTag, string? body)
    {
        var builder = new StringBuilder();
        builder.Append($"{method} sip:19@127.0.0.1:{port};transport=tls SIP/2.0\r\n");
        builder.Append($"Via: SIP/2.0/TLS 127.0.0.1:{local.Port};rport;branch={SipTlsPeer.NewBranch()}\r\n");
        builder.Append("Max-Forwards: 70\r\n");
        builder.Append($"From: <sip:+33100000002@127.0.0.1>;tag=f{callId}\r\n");
        builder.Append($"To: <sip:19@127.0.0.1:{port}>{(toTag is null ? "" : ";tag=" + toTag)}\r\n");
        builder.Append($"Call-ID: {callId}\r\n");
        builder.Append($"CSeq: {cseq} {method}\r\n");
        builder.Append($"Contact: <sip:caller@127.0.0.1:{local.Port};transport=tls>\r\n");
        if (body is not null)
        {
            builder.Append("Content-Type: application/sdp\r\n");
        }

        builder.Append($"Content-Length: {Encoding.ASCII.GetByteCount(body ?? "")}\r\n\r\n{body}");
        return builder.ToString();
    }

    /// <summary>Pipes one request through openssl s_client (verifying the chain and the address) and returns what it printed.</summary>
    private static async Task<string> OpenSslExchangeAsync(int port, string caPath, string request)
    {
        var info = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "s_client", "-connect", $"127.0.0.1:{port}", "-CAfile", caPath, "-verify_return_error", "-verify_ip", "127.0.0.1", "-ign_eof" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        var gotResponse = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data?.StartsWith("SIP/2.0 ", StringComparison.Ordinal) == true)
                {
                    gotResponse.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.StandardInput.WriteAsync(request.Replace("\r\n", "\n").Replace("\n", "\r\n"));
            await process.StandardInput.FlushAsync();
            await gotResponse.Task.WaitAsync(Timeout);

            // The rest of the response's header lines follow the status line within the same record.
            await Task.Delay(300);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync().WaitAsync(Timeout);
        }

        lock (output)
        {
            return output.ToString();
        }
    }

    private string WritePfx()
    {
        var path = Path.Combine(_directory, "intake.pfx");
        File.WriteAllBytes(path, _intake.Export(X509ContentType.Pkcs12, PfxPassword));
        return path;
    }

    private (string Certificate, string Key) WritePem()
    {
        var certificatePath = Path.Combine(_directory, "intake.crt");
        var keyPath = Path.Combine(_directory, "intake.key");
        File.WriteAllText(certificatePath, _intake.ExportCertificatePem() + "\n" + _authority.ExportCertificatePem());
        using var key = _intake.GetRSAPrivateKey()!;
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    [GeneratedRegex(@"(?im)^To:.*;tag=(?<tag>[^;\s>]+)")]
    private static partial Regex ToTag();
}
