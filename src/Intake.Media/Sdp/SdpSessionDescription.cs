using System.Globalization;
using System.Text;

namespace Intake.Media.Sdp;

/// <summary>A parsed or built RFC 4566 session description.</summary>
public sealed class SdpSessionDescription
{
    /// <summary>The o= line.</summary>
    public required SdpOrigin Origin { get; set; }

    /// <summary>The s= line (a single space or dash when there is nothing to say).</summary>
    public string SessionName { get; set; } = "-";

    /// <summary>Session-level c=.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary>Session-level b= lines, verbatim.</summary>
    public List<string> Bandwidths { get; init; } = [];

    /// <summary>t= lines, verbatim ("0 0" when none were given).</summary>
    public List<string> Timings { get; init; } = [];

    /// <summary>Other session-level lines (i, u, e, p, z, k, r) kept as "x=value" to be written back unchanged.</summary>
    public List<string> OtherLines { get; init; } = [];

    /// <summary>Session-level a= lines.</summary>
    public List<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>The m= sections in order.</summary>
    public List<SdpMediaDescription> Media { get; init; } = [];

    /// <summary>Session-level direction, or null.</summary>
    public SdpDirection? Direction
    {
        get
        {
            foreach (var a in Attributes)
            {
                if (TryParseDirection(a.Name, out var d))
                {
                    return d;
                }
            }

            return null;
        }
    }

    /// <summary>The effective direction of a stream: media-level, else session-level, else sendrecv.</summary>
    public SdpDirection EffectiveDirection(SdpMediaDescription media) => media.Direction ?? Direction ?? SdpDirection.SendRecv;

    /// <summary>The effective connection of a stream: media-level, else session-level.</summary>
    public SdpConnection? EffectiveConnection(SdpMediaDescription media) => media.Connection ?? Connection;

    /// <summary>Writes the description with CRLF line ends.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(512);
        sb.Append("v=0\r\n");
        sb.Append("o=").Append(Origin).Append("\r\n");
        sb.Append("s=").Append(SessionName.Length == 0 ? "-" : SessionName).Append("\r\n");
        foreach (var line in OtherLines)
        {
            sb.Append(line).Append("\r\n");
        }

        if (Connection is not null)
        {
            sb.Append("c=").Append(Connection).Append("\r\n");
        }

        foreach (var b in Bandwidths)
        {
            sb.Append("b=").Append(b).Append("\r\n");
        }

        if (Timings.Count == 0)
        {
            sb.Append("t=0 0\r\n");
        }

        foreach (var t in Timings)
        {
            sb.Append("t=").Append(t).Append("\r\n");
        }

        foreach (var a in Attributes)
        {
            sb.Append("a=").Append(a).Append("\r\n");
        }

        foreach (var m in Media)
        {
            m.AppendTo(sb);
        }

        return sb.ToString();
    }

    /// <summary>The UTF-8 body for a SIP message (Content-Type application/sdp).</summary>
    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(ToString());

    internal static bool TryParseDirection(string name, out SdpDirection direction)
    {
        switch (name.ToLowerInvariant())
        {
            case "sendrecv":
                direction = SdpDirection.SendRecv;
                return true;
            case "sendonly":
                direction = SdpDirection.SendOnly;
                return true;
            case "recvonly":
                direction = SdpDirection.RecvOnly;
                return true;
            case "inactive":
                direction = SdpDirection.Inactive;
                return true;
            default:
                direction = default;
                return false;
        }
    }

    internal static string Format(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
