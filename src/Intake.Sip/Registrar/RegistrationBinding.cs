using System.Net;
using Intake.Sip.Messages;

namespace Intake.Sip.Registrar;

/// <summary>
/// One contact bound to an address-of-record (RFC 3261 §10). Immutable: a refresh produces a new instance.
/// Both the registered Contact and the packet source are kept: behind NAT the Contact usually names a
/// private address, and requests must then go to the source address (and, for TCP/TLS, the same connection).
/// </summary>
public sealed record RegistrationBinding
{
    /// <summary>The address-of-record; Intake uses the operator's digest username.</summary>
    public required string Aor { get; init; }

    /// <summary>The Contact as registered (its expires parameter is not maintained; see ExpiresAt).</summary>
    public required SipNameAddress Contact { get; init; }

    /// <summary>The +sip.instance value without quotes (RFC 5626 §4.1), identifying the device across address changes.</summary>
    public string? InstanceId { get; init; }

    public string? RegId { get; init; }

    /// <summary>Relative preference 0..1 from the q parameter; null when the phone sent none.</summary>
    public double? Q { get; init; }

    public required string CallId { get; init; }

    public required uint CSeq { get; init; }

    public required DateTimeOffset RegisteredAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required IPEndPoint Source { get; init; }

    public required SipTransportProtocol Transport { get; init; }

    public string? ConnectionId { get; init; }

    public string? UserAgent { get; init; }

    /// <summary>Cleared by keep-alive probing after repeated failures; reset by the next registration.</summary>
    public bool IsReachable { get; init; } = true;

    public SipUri ContactUri => Contact.Uri;

    /// <summary>Identity of the binding within its AOR: the instance when given, else the contact URI.</summary>
    public string Key => InstanceId is not null ? $"{InstanceId};reg-id={RegId}" : Contact.Uri.ToString();

    /// <summary>
    /// True when the Contact cannot be used as is: it names an IP address that is not the source address
    /// (typically a private address behind NAT). Requests then go to Source instead.
    /// </summary>
    public bool PrefersSource
    {
        get
        {
            var host = Contact.Uri.Host.Trim('[', ']');
            if (!IPAddress.TryParse(host, out var contactAddress))
            {
                return false;
            }

            var source = Source.Address.IsIPv4MappedToIPv6 ? Source.Address.MapToIPv4() : Source.Address;
            var port = Contact.Uri.Port ?? (Contact.Uri.Scheme == "sips" ? 5061 : 5060);
            return !contactAddress.Equals(source) || (Transport == SipTransportProtocol.Udp && port != Source.Port);
        }
    }

    public TimeSpan RemainingAt(DateTimeOffset now) => ExpiresAt > now ? ExpiresAt - now : TimeSpan.Zero;
}
