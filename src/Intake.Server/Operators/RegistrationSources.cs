using System.Globalization;
using System.Net;
using Intake.Sip;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;
using Intake.Sip.Transactions;

namespace Intake.Server.Operators;

/// <summary>
/// Recovers where a request physically came from. The stack has already stamped the top Via (RFC 3261 §18.2.1,
/// RFC 3581): received= holds the packet's source address whenever it differs from sent-by, and rport= its source
/// port when the client asked for symmetric response routing; without rport the phone listens on its sent-by port.
/// </summary>
public static class RegistrationSources
{
    private const int DefaultPort = 5060;
    private const int DefaultTlsPort = 5061;

    public static RegistrationSource From(SipServerTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var route = transaction.Route;
        return From(transaction.Request, route.Destination.Protocol, route.Destination.Address, route.ConnectionId);
    }

    /// <param name="request">A received request whose top Via the stack has stamped.</param>
    /// <param name="transport">The transport it arrived on.</param>
    /// <param name="fallback">Used when the Via is unusable (the stack rejects such requests before they get here).</param>
    /// <param name="connectionId">The transport's connection id, 0 for UDP.</param>
    public static RegistrationSource From(SipRequest request, SipTransportProtocol transport, IPEndPoint fallback, long connectionId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(fallback);
        var connection = connectionId == 0 ? null : connectionId.ToString(CultureInfo.InvariantCulture);
        if (request.TopVia is not { } via)
        {
            return new RegistrationSource(fallback, transport, connection);
        }

        var address = ParseAddress(via.Received) ?? ParseAddress(via.Host) ?? fallback.Address;
        var port = transport == SipTransportProtocol.Udp && via.HasRport && via.Rport is { } rport
            ? rport
            : via.Port ?? (transport == SipTransportProtocol.Tls ? DefaultTlsPort : DefaultPort);
        return new RegistrationSource(new IPEndPoint(address, port), transport, connection);
    }

    private static IPAddress? ParseAddress(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        var span = host.AsSpan();
        if (span.Length > 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }

        // IPAddress.TryParse also takes "1" or "0x1"; only dotted quads and IPv6 literals are SIP hosts.
        if (!IPAddress.TryParse(span, out var address)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && span.Count('.') != 3))
        {
            return null;
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
