using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Intake.Server.Configuration;

namespace Intake.Server.Sip;

/// <summary>
/// Reads the SIP TLS certificate (PKCS#12, or PEM certificate plus PEM key) and the optional extra CA bundle named by
/// the Sip section. Every failure is an <see cref="SipTlsConfigurationException"/> naming the configuration key.
/// </summary>
public static class SipTlsCertificateLoader
{
    /// <summary>The certificate with its private key, and any further certificates in the file (the chain to send).</summary>
    public static (X509Certificate2 Certificate, IReadOnlyList<X509Certificate2> Chain) LoadCertificate(SipOptions sip)
    {
        ArgumentNullException.ThrowIfNull(sip);
        var path = RequireFile("Sip:CertificatePath", sip.CertificatePath);
        var collection = new X509Certificate2Collection();
        try
        {
            if (IsPem(path))
            {
                collection.Add(LoadPemWithKey(path, sip));
                collection.ImportFromPemFile(path);
            }
            else
            {
                collection.AddRange(X509CertificateLoader.LoadPkcs12CollectionFromFile(path, sip.CertificatePassword));
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            Dispose(collection);
            throw new SipTlsConfigurationException($"Sip:CertificatePath: cannot read the certificate in '{path}': {ex.Message}", ex);
        }

        var leaf = collection.FirstOrDefault(c => c.HasPrivateKey);
        if (leaf is null)
        {
            Dispose(collection);
            var key = sip.CertificateKeyPath is null ? "Sip:CertificatePath" : "Sip:CertificateKeyPath";
            throw new SipTlsConfigurationException($"{key}: the certificate in '{path}' comes without its private key");
        }

        var chain = collection.Where(c => !c.HasPrivateKey && c.Thumbprint != leaf.Thumbprint).ToList();
        foreach (var duplicate in collection.Where(c => c != leaf && !chain.Contains(c)))
        {
            duplicate.Dispose();
        }

        return (leaf, chain);
    }

    /// <summary>Every certificate in a PEM (or DER) CA bundle.</summary>
    public static IReadOnlyList<X509Certificate2> LoadTrustedAuthorities(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return [];
        }

        var file = RequireFile("Sip:TrustedCaPath", path);
        var collection = new X509Certificate2Collection();
        try
        {
            if (IsPem(file))
            {
                collection.ImportFromPemFile(file);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            Dispose(collection);
            throw new SipTlsConfigurationException($"Sip:TrustedCaPath: cannot read the CA certificates in '{file}': {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new SipTlsConfigurationException($"Sip:TrustedCaPath: '{file}' holds no certificate");
        }

        return [.. collection];
    }

    private static X509Certificate2 LoadPemWithKey(string path, SipOptions sip)
    {
        string? keyPath = null;
        if (sip.CertificateKeyPath is not null)
        {
            keyPath = RequireFile("Sip:CertificateKeyPath", sip.CertificateKeyPath);
        }
        else if (!File.ReadAllText(path).Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new SipTlsConfigurationException($"Sip:CertificateKeyPath: required, '{path}' holds no private key");
        }

        using var pem = string.IsNullOrEmpty(sip.CertificatePassword)
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, sip.CertificatePassword, keyPath);

        // A PEM key is ephemeral; a PKCS#12 round trip gives SslStream a key it can use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static bool IsPem(string path)
    {
        // PKCS#12 and DER are binary; PEM may follow a few lines of text such as openssl's "Bag Attributes".
        var head = new byte[4096];
        using var stream = File.OpenRead(path);
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head.AsSpan(0, read).IndexOf("-----BEGIN"u8) >= 0;
    }

    private static string RequireFile(string key, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SipTlsConfigurationException($"{key}: required when Sip:TlsPort is set");
        }

        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new SipTlsConfigurationException($"{key}: file '{full}' not found");
        }

        return full;
    }

    private static void Dispose(X509Certificate2Collection collection)
    {
        foreach (var certificate in collection)
        {
            certificate.Dispose();
        }
    }
}
