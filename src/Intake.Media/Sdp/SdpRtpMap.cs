namespace Intake.Media.Sdp;

/// <summary>An a=rtpmap value: payload type, encoding name, clock rate and optional channel count.</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels = 1)
{
    /// <summary>Parses "pt name/rate[/channels]"; null when malformed.</summary>
    public static SdpRtpMap? TryParse(string value)
    {
        var space = value.IndexOf(' ');
        if (space <= 0 || !int.TryParse(value.AsSpan(0, space), out var pt) || pt is < 0 or > 127)
        {
            return null;
        }

        var parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length < 2 || parts[0].Length == 0 || !int.TryParse(parts[1], out var rate) || rate <= 0)
        {
            return null;
        }

        var channels = 1;
        if (parts.Length > 2 && (!int.TryParse(parts[2], out channels) || channels <= 0))
        {
            return null;
        }

        return new SdpRtpMap(pt, parts[0], rate, channels);
    }

    /// <inheritdoc />
    public override string ToString() =>
        Channels == 1 ? $"{PayloadType} {EncodingName}/{ClockRate}" : $"{PayloadType} {EncodingName}/{ClockRate}/{Channels}";
}
