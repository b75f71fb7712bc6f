using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Intake.Sip.Tests.Transport;

/// <summary>A throw-away private CA and leaf certificates signed by it, generated per test run (nothing is stored).</summary>
internal sealed class TlsTestCertificates : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly List<X509Certificate2> _issued = [];

    public TlsTestCertificates(string caName = "Intake Test CA")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={caName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Authority = Reload(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)));
    }

    public X509Certificate2 Authority { get; }

    /// <summary>A leaf with server and client auth purposes, its private key, and the given subjectAltName entries.</summary>
    public X509Certificate2 Issue(string commonName, IEnumerable<string>? dnsNames = null, IEnumerable<IPAddress>? addresses = null, IEnumerable<string>? uris = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        var san = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var name in dnsNames ?? [])
        {
            san.AddDnsName(name);
            any = true;
        }

        foreach (var address in addresses ?? [])
        {
            san.AddIpAddress(address);
            any = true;
        }

        foreach (var uri in uris ?? [])
        {
            san.AddUri(new Uri(uri));
            any = true;
        }

        if (any)
        {
            request.CertificateExtensions.Add(san.Build());
        }

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(Authority, now.AddHours(-1), now.AddDays(7), serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        var issued = Reload(withKey);
        _issued.Add(issued);
        return issued;
    }

    /// <summary>A self-signed leaf that chains to nothing the tests trust.</summary>
    public static X509Certificate2 SelfSigned(string commonName, IPAddress address)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        var now = DateTimeOffset.UtcNow;
        return Reload(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7)));
    }

    public void Dispose()
    {
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Authority.Dispose();
    }

    // Round-trips through PKCS#12 so the private key is a persisted one, as SslStream servers expect on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
