using System.Globalization;
using System.Net;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;

namespace Intake.Sip.Core;

/// <summary>
/// RFC 3261 §18.2.2 with RFC 3581: where a response to a request received from <c>source</c> is sent.
/// Reliable transports answer on the request's connection while it lives, else connect to received (or the
/// source) at the sent-by port. Unreliable transports use maddr when present, else received (or the source)
/// at rport when the client asked for it, else at the sent-by port.
/// </summary>
public static class ResponseRouter
{
    public const int DefaultPort = 5060;
    public const int DefaultTlsPort = 5061;

    public static SipResponseRoute Route(SipVia topVia, SipEndPoint source, long connectionId)
    {
        ArgumentNullException.ThrowIfNull(topVia);
        var protocol = source.Protocol;
        var defaultPort = protocol == SipTransportProtocol.Tls ? DefaultTlsPort : DefaultPort;
        var sentByPort = topVia.Port ?? defaultPort;
        var receivedAddress = ParseAddress(topVia.Received) ?? ParseAddress(topVia.Host) ?? source.Address.Address;

        if (protocol != SipTransportProtocol.Udp)
        {
            return new SipResponseRoute(new SipEndPoint(protocol, new IPEndPoint(receivedAddress, sentByPort)), connectionId);
        }

        if (ParseAddress(topVia.MAddr) is { } maddr)
        {
            return new SipResponseRoute(new SipEndPoint(protocol, new IPEndPoint(maddr, sentByPort)), 0);
        }

        var port = topVia.HasRport ? topVia.Rport ?? source.Address.Port : sentByPort;
        return new SipResponseRoute(new SipEndPoint(protocol, new IPEndPoint(receivedAddress, port)), 0);
    }

    /// <summary>An IP literal (IPv6 with or without brackets); null for host names and absent values.</summary>
    internal static IPAddress? ParseAddress(string? host)
    {
        if (string.IsNullOrEmpty(host)) return null;
        var span = host.AsSpan();
        if (span.Length > 2 && span[0] == '[' && span[^1] == ']') span = span[1..^1];
        if (!IPAddress.TryParse(span, out var address)) return null;

        // IPAddress.TryParse also accepts "1" or "0x1"; only dotted quads and IPv6 literals are SIP hosts.
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && span.Count('.') != 3) return null;
        return address;
    }

    internal static string Format(IPAddress address) =>
        (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    internal static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6
            ? string.Create(CultureInfo.InvariantCulture, $"[{address}]")
            : Format(address);
}
