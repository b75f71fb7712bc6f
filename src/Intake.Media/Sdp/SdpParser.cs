using System.Globalization;
using System.Text;

namespace Intake.Media.Sdp;

/// <summary>
/// Parses RFC 4566 descriptions. Lenient where real peers are sloppy (LF-only line ends,
/// trailing blanks, unknown lines), strict where a wrong guess would misroute media
/// (o=, c=, m= syntax). Never throws on bad input.
/// </summary>
public static class SdpParser
{
    /// <summary>Largest body accepted.</summary>
    public const int MaxLength = 16 * 1024;

    /// <summary>Parses a UTF-8 body.</summary>
    public static SdpParseResult Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return new SdpParseResult(null, "SDP body too large");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return new SdpParseResult(null, "SDP body is not valid UTF-8");
        }

        return Parse(text);
    }

    /// <summary>Parses text.</summary>
    public static SdpParseResult Parse(string text)
    {
        if (text.Length > MaxLength)
        {
            return new SdpParseResult(null, "SDP body too large");
        }

        SdpOrigin? origin = null;
        string? sessionName = null;
        var versionSeen = false;
        var session = new List<(char Type, string Value)>();
        var media = new List<SdpMediaDescription>();
        SdpMediaDescription? current = null;
        SdpConnection? sessionConnection = null;
        var sessionAttributes = new List<SdpAttribute>();
        var bandwidths = new List<string>();
        var timings = new List<string>();
        var other = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r', ' ', '\t');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=')
            {
                return Fail(lineNumber, "is not type=value");
            }

            var type = line[0];
            var value = line[2..];
            if (!versionSeen)
            {
                if (type != 'v' || value != "0")
                {
                    return Fail(lineNumber, "must be v=0");
                }

                versionSeen = true;
                continue;
            }

            switch (type)
            {
                case 'o':
                    origin = ParseOrigin(value);
                    if (origin is null)
                    {
                        return Fail(lineNumber, "has a malformed o= line");
                    }

                    break;
                case 's':
                    sessionName = value;
                    break;
                case 'c':
                    var connection = ParseConnection(value);
                    if (connection is null)
                    {
                        return Fail(lineNumber, "has a malformed c= line");
                    }

                    if (current is null)
                    {
                        sessionConnection = connection;
                    }
                    else
                    {
                        current.Connection = connection;
                    }

                    break;
                case 'b':
                    (current?.Bandwidths ?? bandwidths).Add(value);
                    break;
                case 't':
                    timings.Add(value);
                    break;
                case 'm':
                    current = ParseMedia(value);
                    if (current is null)
                    {
                        return Fail(lineNumber, "has a malformed m= line");
                    }

                    media.Add(current);
                    break;
                case 'a':
                    var colon = value.IndexOf(':');
                    var attribute = colon < 0 ? new SdpAttribute(value) : new SdpAttribute(value[..colon], value[(colon + 1)..]);
                    (current?.Attributes ?? sessionAttributes).Add(attribute);
                    break;
                default:
                    if (current is null)
                    {
                        other.Add(line);
                    }

                    break;
            }
        }

        if (!versionSeen || origin is null)
        {
            return new SdpParseResult(null, "SDP lacks v= or o=");
        }

        foreach (var m in media)
        {
            if (m.Port != 0 && m.IsRtp && (m.Connection ?? sessionConnection) is null)
            {
                return new SdpParseResult(null, $"m={m.Media} stream has no c= line");
            }
        }

        return new SdpParseResult(
            new SdpSessionDescription
            {
                Origin = origin,
                SessionName = sessionName ?? "-",
                Connection = sessionConnection,
                Bandwidths = bandwidths,
                Timings = timings,
                OtherLines = other,
                Attributes = sessionAttributes,
                Media = media,
            },
            null);
    }

    private static SdpParseResult Fail(int line, string reason) => new(null, $"SDP line {line} {reason}");

    private static bool IsPayloadType(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) && pt <= 127;

    private static SdpOrigin? ParseOrigin(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6 || parts[3] != "IN" ||
            !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ||
            !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return null;
        }

        return new SdpOrigin(parts[0], id, version, new SdpConnection(parts[4], parts[5]));
    }

    private static SdpConnection? ParseConnection(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "IN" || parts[1] is not ("IP4" or "IP6"))
        {
            return null;
        }

        // Multicast TTL / count suffixes ("/127") are kept out of the address.
        var address = parts[2];
        var slash = address.IndexOf('/');
        return new SdpConnection(parts[1], slash > 0 ? address[..slash] : address);
    }

    private static SdpMediaDescription? ParseMedia(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            return null;
        }

        var portText = parts[1];
        int? count = null;
        var slash = portText.IndexOf('/');
        if (slash > 0)
        {
            if (!int.TryParse(portText.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                return null;
            }

            count = c;
            portText = portText[..slash];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return null;
        }

        var description = new SdpMediaDescription { Media = parts[0], Port = port, PortCount = count, Protocol = parts[2] };
        for (var i = 3; i < parts.Length; i++)
        {
            if (description.IsRtp && !IsPayloadType(parts[i]))
            {
                return null;
            }

            description.Formats.Add(parts[i]);
        }

        return description;
    }
}
