using System.Net;

namespace Intake.Media.Sdp;

/// <summary>A c= line: network type IN, address type IP4 or IP6, and the address (may be a host name).</summary>
public sealed record SdpConnection(string AddressType, string Address)
{
    /// <summary>Builds the c= value for an IP address.</summary>
    public static SdpConnection For(IPAddress address) =>
        new(address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4", address.ToString());

    /// <summary>The address as an IP, or null for a host name (or a TTL/count suffix that does not parse).</summary>
    public IPAddress? TryGetIPAddress() => IPAddress.TryParse(Address, out var ip) ? ip : null;

    /// <summary>RFC 2543 style hold: c=IN IP4 0.0.0.0.</summary>
    public bool IsNullAddress => Address is "0.0.0.0" or "::";

    /// <inheritdoc />
    public override string ToString() => $"IN {AddressType} {Address}";
}
