using System.Globalization;
using System.Text;

namespace Intake.Sip.Messages;

/// <summary>One via-parm (RFC 3261 §20.42): sent-protocol, sent-by and parameters.</summary>
public sealed class SipVia
{
    private string? _text;

    private SipVia(string protocol, string transportName, string host, int? port, IReadOnlyList<KeyValuePair<string, string?>> parameters, string? text)
    {
        Protocol = protocol;
        TransportName = transportName;
        Transport = ToTransport(transportName, out var known);
        IsKnownTransport = known;
        Host = host;
        Port = port;
        Parameters = parameters;
        _text = text;
    }

    public SipVia(SipTransportProtocol transport, string host, int? port, string? branch)
        : this("SIP/2.0", transport.ToString().ToUpperInvariant(), host, port,
            branch is null ? HeaderParameters.Empty : [new("branch", branch)], null)
    {
    }

    /// <summary>protocol-name/protocol-version, normally "SIP/2.0".</summary>
    public string Protocol { get; }

    /// <summary>Udp, Tcp or Tls; an unrecognised transport (SCTP, WS...) reads as Udp with <see cref="IsKnownTransport"/> false.</summary>
    public SipTransportProtocol Transport { get; }

    /// <summary>Transport token as written, upper-cased ("UDP", "SCTP"...).</summary>
    public string TransportName { get; }

    public bool IsKnownTransport { get; }

    public string Host { get; }

    public int? Port { get; }

    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; }

    public string? Branch => HeaderParameters.Get(Parameters, "branch");

    public string? Received => HeaderParameters.Get(Parameters, "received");

    public bool HasRport => HeaderParameters.Has(Parameters, "rport");

    public int? Rport => int.TryParse(HeaderParameters.Get(Parameters, "rport"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;

    public string? MAddr => HeaderParameters.Get(Parameters, "maddr");

    /// <summary>host[:port] as it should be compared (RFC 3261 §18.2.1).</summary>
    public string SentBy => Port is { } port ? string.Create(CultureInfo.InvariantCulture, $"{Host}:{port}") : Host;

    public string? GetParameter(string name) => HeaderParameters.Get(Parameters, name);

    public static bool TryParse(string text, out SipVia? via)
    {
        ArgumentNullException.ThrowIfNull(text);
        via = null;
        if (!TryScan(text, out var parts)) return false;
        var s = text.AsSpan();
        var parameters = HeaderParameters.Empty;
        if (parts.ParamsStart < s.Length)
        {
            var list = new List<KeyValuePair<string, string?>>(3);
            HeaderParameters.Scan(s, parts.ParamsStart, list);
            parameters = list;
        }

        var protocol = s.Slice(parts.NameStart, parts.NameLength).Equals("SIP", StringComparison.OrdinalIgnoreCase)
            && s.Slice(parts.VersionStart, parts.VersionLength).SequenceEqual("2.0")
            ? "SIP/2.0"
            : string.Concat(s.Slice(parts.NameStart, parts.NameLength).ToString().ToUpperInvariant(), "/", s.Slice(parts.VersionStart, parts.VersionLength));
        var transport = s.Slice(parts.TransportStart, parts.TransportLength);
        var transportName = transport.Equals("UDP", StringComparison.OrdinalIgnoreCase) ? "UDP"
            : transport.Equals("TCP", StringComparison.OrdinalIgnoreCase) ? "TCP"
            : transport.Equals("TLS", StringComparison.OrdinalIgnoreCase) ? "TLS"
            : transport.ToString().ToUpperInvariant();
        var trimmed = SipSyntax.TrimLws(s);
        via = new SipVia(protocol, transportName, text.Substring(parts.HostStart, parts.HostLength), parts.Port >= 0 ? parts.Port : null, parameters,
            trimmed.Length == s.Length ? text : trimmed.ToString());
        return true;
    }

    internal struct Parts
    {
        public int NameStart;
        public int NameLength;
        public int VersionStart;
        public int VersionLength;
        public int TransportStart;
        public int TransportLength;
        public int HostStart;
        public int HostLength;
        public int Port;
        public int ParamsStart;
    }

    /// <summary>Validates one via-parm without allocating (except for IPv6 literal checks).</summary>
    internal static bool TryScan(ReadOnlySpan<char> s, out Parts parts)
    {
        parts = default;
        parts.Port = -1;
        var i = SipSyntax.SkipLws(s, 0);
        if (!ScanToken(s, ref i, out parts.NameStart, out parts.NameLength) || !ScanSlash(s, ref i)) return false;
        if (!ScanToken(s, ref i, out parts.VersionStart, out parts.VersionLength) || !ScanSlash(s, ref i)) return false;
        if (!ScanToken(s, ref i, out parts.TransportStart, out parts.TransportLength)) return false;
        var afterTransport = i;
        i = SipSyntax.SkipLws(s, i);
        if (i == afterTransport) return false;
        var hostEnd = UriScanner.ScanHost(s, i);
        if (hostEnd < 0) return false;
        parts.HostStart = i;
        parts.HostLength = hostEnd - i;
        i = SipSyntax.SkipLws(s, hostEnd);
        if (i < s.Length && s[i] == ':')
        {
            i = UriScanner.ScanPort(s, SipSyntax.SkipLws(s, i + 1), out parts.Port);
            if (i < 0) return false;
        }

        parts.ParamsStart = i;
        return HeaderParameters.Scan(s, i, null) && ValidParameters(s, i);
    }

    // Typed checks for the parameters RFC 3261 gives a grammar to: ttl, rport, received.
    private static bool ValidParameters(ReadOnlySpan<char> s, int i)
    {
        if (s[i..].IndexOf('=') < 0) return true;
        foreach (var range in s[i..].Split(';'))
        {
            var p = SipSyntax.TrimLws(s[i..][range]);
            var eq = p.IndexOf('=');
            if (eq < 0) continue;
            var name = SipSyntax.TrimLws(p[..eq]);
            var value = SipSyntax.TrimLws(p[(eq + 1)..]);
            if (name.Equals("ttl", StringComparison.OrdinalIgnoreCase) || name.Equals("rport", StringComparison.OrdinalIgnoreCase))
            {
                var max = name.Length == 3 ? 255 : 65535;
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > max) return false;
            }
            else if (name.Equals("received", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 3261 writes IPv6 received without brackets; RFC 5118 §4.5 asks to accept both forms.
                var ok = value.Length > 0 && (value[0] == '['
                    ? value[^1] == ']' && UriScanner.IsIPv6(value[1..^1])
                    : value.Contains(':') ? UriScanner.IsIPv6(value) : UriScanner.ScanHost(value, 0) == value.Length);
                if (!ok) return false;
            }
        }

        return true;
    }

    private static bool ScanToken(ReadOnlySpan<char> s, ref int i, out int start, out int length)
    {
        start = i;
        while (i < s.Length && SipSyntax.IsTokenChar(s[i])) i++;
        length = i - start;
        return length > 0;
    }

    private static bool ScanSlash(ReadOnlySpan<char> s, ref int i)
    {
        i = SipSyntax.SkipLws(s, i);
        if (i >= s.Length || s[i] != '/') return false;
        i = SipSyntax.SkipLws(s, i + 1);
        return true;
    }

    /// <summary>Returns a copy with received set (or removed when null) and rport filled in when given (RFC 3581).</summary>
    public SipVia WithReceived(string? received, int? rport)
    {
        var parameters = new List<KeyValuePair<string, string?>>(Parameters.Count + 2);
        foreach (var p in Parameters)
        {
            if (!string.Equals(p.Key, "received", StringComparison.OrdinalIgnoreCase)
                && !(rport is not null && string.Equals(p.Key, "rport", StringComparison.OrdinalIgnoreCase)))
            {
                parameters.Add(p);
            }
        }

        if (rport is { } port) parameters.Add(new("rport", port.ToString(CultureInfo.InvariantCulture)));
        if (received is not null) parameters.Add(new("received", received));
        return new SipVia(Protocol, TransportName, Host, Port, parameters, null);
    }

    public SipVia WithParameter(string name, string? value) =>
        new(Protocol, TransportName, Host, Port, HeaderParameters.With(Parameters, name, value), null);

    public override string ToString() => _text ??= Build();

    private string Build()
    {
        var sb = new StringBuilder(64).Append(Protocol).Append('/').Append(TransportName).Append(' ').Append(Host);
        if (Port is { } port) sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        HeaderParameters.Append(sb, Parameters);
        return sb.ToString();
    }

    private static SipTransportProtocol ToTransport(string name, out bool known)
    {
        known = true;
        switch (name)
        {
            case "UDP": return SipTransportProtocol.Udp;
            case "TCP": return SipTransportProtocol.Tcp;
            case "TLS": return SipTransportProtocol.Tls;
            default:
                known = false;
                return SipTransportProtocol.Udp;
        }
    }
}
