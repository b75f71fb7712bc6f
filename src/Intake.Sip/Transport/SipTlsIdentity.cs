using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Intake.Sip.Transport;

/// <summary>
/// RFC 5922 §7: whether a peer certificate names the SIP domain (or, without DNS, the IP address) we meant to reach.
/// Identities come from subjectAltName: URI entries of the form sip:domain, dNSName entries and iPAddress entries.
/// Wildcards are never honoured (§7.2); the subject CN counts only when there is no subjectAltName at all (§7.1).
/// </summary>
internal static class SipTlsIdentity
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);
    private static readonly Asn1Tag IPAddressTag = new(TagClass.ContextSpecific, 7);

    public static bool Matches(X509Certificate2 certificate, string targetHost)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentException.ThrowIfNullOrEmpty(targetHost);
        var host = targetHost.Length > 2 && targetHost[0] == '[' && targetHost[^1] == ']' ? targetHost[1..^1] : targetHost;
        // IPAddress.TryParse also takes "1" or "0x1"; only dotted quads and IPv6 literals are addresses here.
        var address = IPAddress.TryParse(host, out var parsed) && (host.Contains(':') || host.Count(c => c == '.') == 3) ? parsed : null;
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            // §7.1 allows the CN only for certificates without subjectAltName; an address needs an iPAddress entry.
            return address is null && SameDomain(certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false), host);
        }

        try
        {
            return MatchesAltNames(extension.RawData, host, address);
        }
        catch (AsnContentException)
        {
            // A malformed extension identifies nobody.
            return false;
        }
    }

    private static bool MatchesAltNames(byte[] rawData, string host, IPAddress? address)
    {
        var names = new AsnReader(rawData, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (address is null && tag.HasSameClassAndValue(DnsNameTag))
            {
                if (SameDomain(names.ReadCharacterString(UniversalTagNumber.IA5String, DnsNameTag), host)) return true;
            }
            else if (address is null && tag.HasSameClassAndValue(UriTag))
            {
                if (SipUriNamesDomain(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag), host)) return true;
            }
            else if (address is not null && tag.HasSameClassAndValue(IPAddressTag))
            {
                var bytes = names.ReadOctetString(IPAddressTag);
                if (bytes.Length is 4 or 16 && Normalise(new IPAddress(bytes)).Equals(Normalise(address))) return true;
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return false;
    }

    /// <summary>§7.1: a URI identity is a sip URI without user part; its host part is the domain.</summary>
    private static bool SipUriNamesDomain(string uri, string host)
    {
        const string Scheme = "sip:";
        if (!uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = uri.AsSpan(Scheme.Length);
        if (rest.IndexOfAny('@', ';', '?') >= 0 || rest.IndexOf(':') >= 0) return false;
        return SameDomain(rest.ToString(), host);
    }

    private static bool SameDomain(string? certified, string host)
    {
        if (string.IsNullOrEmpty(certified) || certified.Contains('*')) return false;
        return string.Equals(certified.TrimEnd('.'), host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
