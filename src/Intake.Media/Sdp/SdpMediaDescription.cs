using System.Globalization;
using System.Text;

namespace Intake.Media.Sdp;

/// <summary>One m= section with its c=, b= and a= lines.</summary>
public sealed class SdpMediaDescription
{
    /// <summary>Media type: audio, video, application, ...</summary>
    public required string Media { get; set; }

    /// <summary>Transport port; 0 rejects or disables the stream.</summary>
    public int Port { get; set; }

    /// <summary>Optional port count ("49170/2").</summary>
    public int? PortCount { get; set; }

    /// <summary>Transport protocol, e.g. RTP/AVP.</summary>
    public required string Protocol { get; set; }

    /// <summary>Formats (payload type numbers for RTP).</summary>
    public List<string> Formats { get; init; } = [];

    /// <summary>Media-level connection, overriding the session's.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary>b= lines, kept verbatim.</summary>
    public List<string> Bandwidths { get; init; } = [];

    /// <summary>a= lines in order.</summary>
    public List<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>Whether this is an RTP audio/video profile the negotiator understands.</summary>
    public bool IsRtp => Protocol.StartsWith("RTP/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The explicit direction attribute, or null when absent.</summary>
    public SdpDirection? Direction
    {
        get
        {
            foreach (var a in Attributes)
            {
                if (SdpSessionDescription.TryParseDirection(a.Name, out var d))
                {
                    return d;
                }
            }

            return null;
        }
    }

    /// <summary>a=ptime in milliseconds, if present.</summary>
    public int? Ptime => int.TryParse(GetAttribute("ptime"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : null;

    /// <summary>a=rtcp port (RFC 3605), if present.</summary>
    public int? RtcpPort
    {
        get
        {
            var value = GetAttribute("rtcp");
            var end = value?.IndexOf(' ') ?? -1;
            var text = end > 0 ? value![..end] : value;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536 ? port : null;
        }
    }

    /// <summary>First value of a named attribute.</summary>
    public string? GetAttribute(string name) =>
        Attributes.Find(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>The rtpmap of a payload type, falling back to the RFC 3551 static assignments for 0 and 8.</summary>
    public SdpRtpMap? GetRtpMap(int payloadType)
    {
        foreach (var a in Attributes)
        {
            if (a.Name.Equals("rtpmap", StringComparison.OrdinalIgnoreCase) && a.Value is not null &&
                SdpRtpMap.TryParse(a.Value) is { } map && map.PayloadType == payloadType)
            {
                return map;
            }
        }

        return payloadType switch
        {
            0 => new SdpRtpMap(0, "PCMU", 8000),
            8 => new SdpRtpMap(8, "PCMA", 8000),
            _ => null,
        };
    }

    /// <summary>The fmtp parameters of a payload type, if any.</summary>
    public string? GetFmtp(int payloadType)
    {
        var prefix = payloadType.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (var a in Attributes)
        {
            if (a.Name.Equals("fmtp", StringComparison.OrdinalIgnoreCase) && a.Value is not null && a.Value.StartsWith(prefix, StringComparison.Ordinal))
            {
                return a.Value[prefix.Length..].Trim();
            }
        }

        return null;
    }

    internal void AppendTo(StringBuilder sb)
    {
        sb.Append("m=").Append(Media).Append(' ').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (PortCount is { } count)
        {
            sb.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        sb.Append(' ').Append(Protocol);
        foreach (var f in Formats)
        {
            sb.Append(' ').Append(f);
        }

        sb.Append("\r\n");
        if (Connection is not null)
        {
            sb.Append("c=").Append(Connection).Append("\r\n");
        }

        foreach (var b in Bandwidths)
        {
            sb.Append("b=").Append(b).Append("\r\n");
        }

        foreach (var a in Attributes)
        {
            sb.Append("a=").Append(a).Append("\r\n");
        }
    }
}
