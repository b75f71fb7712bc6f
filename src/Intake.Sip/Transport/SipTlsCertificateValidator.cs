using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Intake.Sip.Transport;

/// <summary>
/// Peer certificate checks for SIP over TLS: the certificate must chain to a system root or to one of the configured
/// extra CAs, be valid now (by the injected clock), and, for servers, carry the server-auth purpose and name the target
/// host (RFC 5922). The SslStream verdict is not trusted on its own: chains are rebuilt here so both trust sources and
/// the RFC 5922 name rules apply the same way on every platform.
/// </summary>
internal sealed class SipTlsCertificateValidator
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    private readonly IReadOnlyList<X509Certificate2> _extraRoots;
    private readonly bool _checkRevocation;
    private readonly TimeProvider _time;

    public SipTlsCertificateValidator(IReadOnlyList<X509Certificate2> extraRoots, bool checkRevocation, TimeProvider time)
    {
        _extraRoots = extraRoots;
        _checkRevocation = checkRevocation;
        _time = time;
    }

    /// <summary>Checks a TLS server we connected to for <paramref name="targetHost"/>; null when acceptable, else why not.</summary>
    public string? ValidateServer(X509Certificate? presented, X509Chain? presentedChain, SslPolicyErrors errors, string targetHost) =>
        Validate(presented, presentedChain, errors, targetHost);

    /// <summary>Checks a TLS client's certificate (chain only: a client's name is not what it connects to).</summary>
    public string? ValidateClient(X509Certificate? presented, X509Chain? presentedChain, SslPolicyErrors errors) =>
        Validate(presented, presentedChain, errors, targetHost: null);

    private string? Validate(X509Certificate? presented, X509Chain? presentedChain, SslPolicyErrors errors, string? targetHost)
    {
        if (presented is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "no certificate presented";
        }

        var owned = presented as X509Certificate2 is null;
        var certificate = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        try
        {
            var chainError = BuildChain(certificate, presentedChain, customRoots: false, requireServerAuth: targetHost is not null);
            if (chainError is not null && _extraRoots.Count > 0
                && BuildChain(certificate, presentedChain, customRoots: true, requireServerAuth: targetHost is not null) is null)
            {
                chainError = null;
            }

            if (chainError is not null)
            {
                return $"certificate {certificate.Subject} is not trusted: {chainError}";
            }

            if (targetHost is not null && !SipTlsIdentity.Matches(certificate, targetHost))
            {
                return $"certificate {certificate.Subject} does not name {targetHost} in subjectAltName (RFC 5922)";
            }

            return null;
        }
        finally
        {
            if (owned)
            {
                certificate.Dispose();
            }
        }
    }

    private string? BuildChain(X509Certificate2 certificate, X509Chain? presentedChain, bool customRoots, bool requireServerAuth)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = _checkRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        policy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (requireServerAuth)
        {
            policy.ApplicationPolicy.Add(new Oid(ServerAuthOid));
        }

        if (presentedChain is not null)
        {
            // Intermediates the peer sent; they only help build a path, they are never trusted by themselves.
            policy.ExtraStore.AddRange(presentedChain.ChainPolicy.ExtraStore);
            foreach (var element in presentedChain.ChainElements)
            {
                policy.ExtraStore.Add(element.Certificate);
            }
        }

        if (customRoots)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            foreach (var root in _extraRoots)
            {
                policy.CustomTrustStore.Add(root);
            }
        }

        try
        {
            if (chain.Build(certificate))
            {
                return null;
            }

            var problems = chain.ChainStatus.Select(s => s.Status).Distinct().Select(s => s.ToString());
            return string.Join(", ", problems);
        }
        catch (CryptographicException ex)
        {
            return ex.Message;
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }
}
