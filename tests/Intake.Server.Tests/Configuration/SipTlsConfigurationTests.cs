using System.Security.Cryptography.X509Certificates;
using Intake.Server.Configuration;
using Intake.Server.Sip;
using Intake.Server.Tests.Integration;

namespace Intake.Server.Tests.Configuration;

public sealed class SipTlsConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("intake-tls-config-").FullName;
    private readonly X509Certificate2 _authority = TlsTestPki.CreateAuthority();
    private readonly X509Certificate2 _leaf;

    public SipTlsConfigurationTests()
    {
        _leaf = TlsTestPki.Issue(_authority, "intake.test");
    }

    public void Dispose()
    {
        _leaf.Dispose();
        _authority.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void LoadCertificate_PemWithChainAndSeparateKey_LeafWithKeyAndIntermediate()
    {
        var sip = new SipOptions { TlsPort = 5061, CertificatePath = Write("chain.pem", _leaf.ExportCertificatePem() + "\n" + _authority.ExportCertificatePem()) };
        using (var key = _leaf.GetRSAPrivateKey()!)
        {
            sip.CertificateKeyPath = Write("leaf.key", key.ExportPkcs8PrivateKeyPem());
        }

        var (certificate, chain) = SipTlsCertificateLoader.LoadCertificate(sip);

        using (certificate)
        {
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(_leaf.Thumbprint, certificate.Thumbprint);
            Assert.Equal([_authority.Thumbprint], chain.Select(c => c.Thumbprint));
        }
    }

    [Fact]
    public void LoadCertificate_PfxWithPassword_LeafWithKey()
    {
        var path = Path.Combine(_directory, "intake.pfx");
        File.WriteAllBytes(path, _leaf.Export(X509ContentType.Pkcs12, "pw"));

        var (certificate, chain) = SipTlsCertificateLoader.LoadCertificate(new SipOptions { CertificatePath = path, CertificatePassword = "pw" });

        using (certificate)
        {
            Assert.True(certificate.HasPrivateKey);
            Assert.Empty(chain);
        }
    }

    [Fact]
    public void LoadTrustedAuthorities_FileWithoutCertificate_ErrorNamesKey()
    {
        var path = Write("empty.pem", "not a certificate\n");

        var error = Assert.Throws<SipTlsConfigurationException>(() => SipTlsCertificateLoader.LoadTrustedAuthorities(path));

        Assert.StartsWith("Sip:TrustedCaPath: ", error.Message);
    }

    [Fact]
    public void Validate_TlsPortEqualToSipPortAndMissingCertificate_BothReported()
    {
        var config = new IntakeConfiguration();
        config.Queues.Add(new QueueOptions { Name = "police", Numbers = ["19"] });
        config.Sip.TlsPort = config.Sip.Port;

        var errors = ConfigurationValidator.Validate(config);

        Assert.Contains($"Sip:TlsPort: must differ from Sip:Port (both {config.Sip.Port})", errors);
        Assert.Contains("Sip:CertificatePath: required when Sip:TlsPort is set", errors);
    }

    [Fact]
    public void Validate_TlsOff_CertificateKeysIgnored()
    {
        var config = new IntakeConfiguration();
        config.Queues.Add(new QueueOptions { Name = "police", Numbers = ["19"] });
        config.Sip.CertificatePath = Path.Combine(_directory, "absent.pfx");

        Assert.DoesNotContain(ConfigurationValidator.Validate(config), e => e.StartsWith("Sip:", StringComparison.Ordinal));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
