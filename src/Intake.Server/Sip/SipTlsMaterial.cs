using System.Security.Cryptography.X509Certificates;
using Intake.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Sip;

/// <summary>The certificates SIP over TLS runs with, owned for the SIP service's lifetime.</summary>
internal sealed partial class SipTlsMaterial : IDisposable
{
    private SipTlsMaterial(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, IReadOnlyList<X509Certificate2> trustedAuthorities)
    {
        Certificate = certificate;
        Chain = chain;
        TrustedAuthorities = trustedAuthorities;
    }

    public X509Certificate2 Certificate { get; }

    public IReadOnlyList<X509Certificate2> Chain { get; }

    public IReadOnlyList<X509Certificate2> TrustedAuthorities { get; }

    /// <summary>Loads what the Sip section names; throws <see cref="SipTlsConfigurationException"/> naming the key at fault.</summary>
    public static SipTlsMaterial Load(SipOptions sip)
    {
        var (certificate, chain) = SipTlsCertificateLoader.LoadCertificate(sip);
        try
        {
            return new SipTlsMaterial(certificate, chain, SipTlsCertificateLoader.LoadTrustedAuthorities(sip.TrustedCaPath));
        }
        catch
        {
            certificate.Dispose();
            foreach (var issuer in chain)
            {
                issuer.Dispose();
            }

            throw;
        }
    }

    public void LogLoaded(ILogger logger, TimeProvider time)
    {
        Loaded(logger, Certificate.Subject, Certificate.NotAfter.ToUniversalTime(), Chain.Count, TrustedAuthorities.Count);
        var remaining = new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()) - time.GetUtcNow();
        if (remaining < TimeSpan.FromDays(14))
        {
            // An expired certificate makes every TLS peer hang up; say so loudly while there is time to renew.
            ExpiresSoon(logger, Certificate.Subject, Certificate.NotAfter.ToUniversalTime());
        }
    }

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var certificate in Chain.Concat(TrustedAuthorities))
        {
            certificate.Dispose();
        }
    }

    [LoggerMessage(EventId = 80, Level = LogLevel.Information,
        Message = "SIP TLS certificate {Subject} valid until {NotAfter:u}, {ChainCount} chain certificate(s), {CaCount} extra trusted CA(s)")]
    private static partial void Loaded(ILogger logger, string subject, DateTime notAfter, int chainCount, int caCount);

    [LoggerMessage(EventId = 81, Level = LogLevel.Warning, Message = "SIP TLS certificate {Subject} expires at {NotAfter:u}: renew it")]
    private static partial void ExpiresSoon(ILogger logger, string subject, DateTime notAfter);
}
