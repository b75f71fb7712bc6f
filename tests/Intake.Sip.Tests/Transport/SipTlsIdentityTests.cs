using System.Net;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Transport;

public sealed class SipTlsIdentityTests : IDisposable
{
    private readonly TlsTestCertificates _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Matches_SipUriInSubjectAltName_MatchesDomainCaseInsensitively()
    {
        var certificate = _pki.Issue("unrelated", uris: ["sip:Trunk.Example"]);

        Assert.True(SipTlsIdentity.Matches(certificate, "trunk.example"));
        Assert.False(SipTlsIdentity.Matches(certificate, "other.example"));
    }

    [Fact]
    public void Matches_SipUriWithUserPart_DoesNotCount()
    {
        var certificate = _pki.Issue("unrelated", uris: ["sip:alice@trunk.example"]);

        Assert.False(SipTlsIdentity.Matches(certificate, "trunk.example"));
    }

    [Fact]
    public void Matches_CommonNameWhenSubjectAltNamePresent_Ignored()
    {
        var certificate = _pki.Issue("trunk.example", ["other.example"]);

        Assert.False(SipTlsIdentity.Matches(certificate, "trunk.example"));
    }

    [Fact]
    public void Matches_CommonNameWithoutSubjectAltName_UsedForDomainsOnly()
    {
        var certificate = _pki.Issue("trunk.example");

        Assert.True(SipTlsIdentity.Matches(certificate, "trunk.example"));
        Assert.False(SipTlsIdentity.Matches(_pki.Issue("127.0.0.1"), "127.0.0.1"));
    }

    [Fact]
    public void Matches_Ipv6AddressWithBrackets_MatchesIpAddressEntry()
    {
        var certificate = _pki.Issue("v6", addresses: [IPAddress.IPv6Loopback]);

        Assert.True(SipTlsIdentity.Matches(certificate, "[::1]"));
        Assert.False(SipTlsIdentity.Matches(certificate, "127.0.0.1"));
    }

    [Fact]
    public void Matches_DnsNameEqualToAddressText_DoesNotProveAddress()
    {
        var certificate = _pki.Issue("text", ["127.0.0.1"]);

        Assert.False(SipTlsIdentity.Matches(certificate, "127.0.0.1"));
    }
}
