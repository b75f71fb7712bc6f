using System.Globalization;
using Intake.Media.Codecs;

namespace Intake.Media.Sdp;

/// <summary>
/// RFC 3264 offer/answer for one audio stream of G.711 with optional RFC 4733 events.
/// Answers keep the offer's m= lines in order; streams we do not take get port 0.
/// </summary>
public static class SdpNegotiator
{
    /// <summary>RFC 3261 warn-code: none of the media types offered is available.</summary>
    public const int WarningMediaTypeNotAvailable = 304;

    /// <summary>RFC 3261 warn-code: none of the formats offered is supported.</summary>
    public const int WarningIncompatibleMediaFormat = 305;

    private const string TelephoneEventName = "telephone-event";

    /// <summary>Builds our offer (for an outgoing INVITE, or the 200 OK to an INVITE without SDP).</summary>
    public static SdpSessionDescription CreateOffer(SdpLocalMedia local)
    {
        var media = new SdpMediaDescription { Media = "audio", Port = local.RtpPort, Protocol = "RTP/AVP" };
        foreach (var codec in local.Codecs)
        {
            media.Formats.Add(((int)codec).ToString(CultureInfo.InvariantCulture));
        }

        foreach (var codec in local.Codecs)
        {
            media.Attributes.Add(new SdpAttribute("rtpmap", RtpMapFor(codec).ToString()));
        }

        if (local.TelephoneEvent)
        {
            AddTelephoneEvent(media, local.TelephoneEventPayloadType, "0-16");
        }

        media.Attributes.Add(new SdpAttribute("ptime", local.Ptime.ToString(CultureInfo.InvariantCulture)));
        media.Attributes.Add(new SdpAttribute(local.Direction.ToAttribute()));
        return NewDescription(local, [media]);
    }

    /// <summary>Answers a received offer, or says why not (488 with a Warning).</summary>
    public static SdpNegotiationResult CreateAnswer(SdpSessionDescription offer, SdpLocalMedia local)
    {
        var answerMedia = new List<SdpMediaDescription>(offer.Media.Count);
        NegotiatedAudio? chosen = null;
        var sawAudio = false;
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var offered = offer.Media[i];
            var isAudio = offered.Media.Equals("audio", StringComparison.OrdinalIgnoreCase) && offered.Port != 0;
            sawAudio |= isAudio;
            if (chosen is null && isAudio && IsPlainRtp(offered) && TrySelect(offer, offered, i, local, out var audio))
            {
                var localDirection = audio.RemoteDirection.AnswerTo(local.Direction);
                chosen = audio with { LocalDirection = localDirection };
                answerMedia.Add(BuildAnswerMedia(offered, chosen, local));
            }
            else
            {
                answerMedia.Add(Rejected(offered));
            }
        }

        if (chosen is null)
        {
            return sawAudio
                ? SdpNegotiationResult.NotAcceptable(WarningIncompatibleMediaFormat, "Incompatible media format")
                : SdpNegotiationResult.NotAcceptable(WarningMediaTypeNotAvailable, "Media type not available");
        }

        return SdpNegotiationResult.Ok(NewDescription(local, answerMedia), chosen);
    }

    /// <summary>
    /// Reads the answer to our offer (from a 200 OK, or from the ACK when we offered in the
    /// 200 OK). Fails when the answer does not mirror the offer or rejects our audio.
    /// </summary>
    public static SdpNegotiationResult ProcessAnswer(SdpSessionDescription offer, SdpSessionDescription answer)
    {
        if (answer.Media.Count != offer.Media.Count)
        {
            return SdpNegotiationResult.NotAcceptable(WarningIncompatibleMediaFormat, "Answer does not match the offer's media lines");
        }

        for (var i = 0; i < offer.Media.Count; i++)
        {
            var ours = offer.Media[i];
            var theirs = answer.Media[i];
            if (ours.Port == 0 || !ours.Media.Equals("audio", StringComparison.OrdinalIgnoreCase) || theirs.Port == 0)
            {
                continue;
            }

            var connection = answer.EffectiveConnection(theirs);
            foreach (var format in theirs.Formats)
            {
                if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || !ours.Formats.Contains(format))
                {
                    continue;
                }

                var encoding = EncodingOf(theirs.GetRtpMap(pt));
                if (encoding is null || connection is null)
                {
                    continue;
                }

                var remoteDirection = connection.IsNullAddress ? SdpDirection.Inactive : answer.EffectiveDirection(theirs);
                var audio = new NegotiatedAudio(
                    i,
                    connection.Address,
                    theirs.Port,
                    theirs.RtcpPort ?? theirs.Port + 1,
                    encoding.Value,
                    (byte)pt,
                    FindTelephoneEvent(theirs),
                    FindTelephoneEvent(ours),
                    theirs.Ptime ?? ours.Ptime ?? 20,
                    offer.EffectiveDirection(ours),
                    remoteDirection);
                return SdpNegotiationResult.Ok(null, audio);
            }
        }

        return SdpNegotiationResult.NotAcceptable(WarningIncompatibleMediaFormat, "Incompatible media format");
    }

    private static bool IsPlainRtp(SdpMediaDescription media) =>
        media.Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase) || media.Protocol.Equals("RTP/AVPF", StringComparison.OrdinalIgnoreCase);

    private static bool TrySelect(SdpSessionDescription offer, SdpMediaDescription media, int index, SdpLocalMedia local, out NegotiatedAudio audio)
    {
        audio = null!;
        var connection = offer.EffectiveConnection(media);
        if (connection is null)
        {
            return false;
        }

        // Honour the offerer's preference order (RFC 3264 §6.1) among the codecs we allow.
        foreach (var format in media.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
            {
                continue;
            }

            var encoding = EncodingOf(media.GetRtpMap(pt));
            if (encoding is null || !local.Codecs.Contains(encoding.Value))
            {
                continue;
            }

            var telephoneEvent = local.TelephoneEvent ? FindTelephoneEvent(media) : null;
            var remoteDirection = connection.IsNullAddress ? SdpDirection.Inactive : offer.EffectiveDirection(media);
            audio = new NegotiatedAudio(
                index,
                connection.Address,
                media.Port,
                media.RtcpPort ?? media.Port + 1,
                encoding.Value,
                (byte)pt,
                telephoneEvent,
                telephoneEvent,
                media.Ptime ?? local.Ptime,
                local.Direction,
                remoteDirection);
            return true;
        }

        return false;
    }

    private static SdpMediaDescription BuildAnswerMedia(SdpMediaDescription offered, NegotiatedAudio audio, SdpLocalMedia local)
    {
        var media = new SdpMediaDescription { Media = offered.Media, Port = local.RtpPort, Protocol = offered.Protocol };
        media.Formats.Add(audio.PayloadType.ToString(CultureInfo.InvariantCulture));
        media.Attributes.Add(new SdpAttribute("rtpmap", (RtpMapFor(audio.Encoding) with { PayloadType = audio.PayloadType }).ToString()));
        if (audio.SendTelephoneEventPayloadType is { } te)
        {
            AddTelephoneEvent(media, te, offered.GetFmtp(te) ?? "0-16");
        }

        media.Attributes.Add(new SdpAttribute("ptime", local.Ptime.ToString(CultureInfo.InvariantCulture)));
        media.Attributes.Add(new SdpAttribute(audio.LocalDirection.ToAttribute()));
        return media;
    }

    private static SdpMediaDescription Rejected(SdpMediaDescription offered)
    {
        // RFC 3264 §6: a rejected stream keeps its media type and protocol, port 0, and at least one format.
        var media = new SdpMediaDescription { Media = offered.Media, Port = 0, Protocol = offered.Protocol };
        media.Formats.Add(offered.Formats.Count > 0 ? offered.Formats[0] : "0");
        return media;
    }

    private static void AddTelephoneEvent(SdpMediaDescription media, byte payloadType, string events)
    {
        var pt = payloadType.ToString(CultureInfo.InvariantCulture);
        media.Formats.Add(pt);
        media.Attributes.Add(new SdpAttribute("rtpmap", $"{pt} {TelephoneEventName}/8000"));
        media.Attributes.Add(new SdpAttribute("fmtp", $"{pt} {events}"));
    }

    private static byte? FindTelephoneEvent(SdpMediaDescription media)
    {
        foreach (var format in media.Formats)
        {
            if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) &&
                media.GetRtpMap(pt) is { ClockRate: 8000 } map &&
                map.EncodingName.Equals(TelephoneEventName, StringComparison.OrdinalIgnoreCase))
            {
                return (byte)pt;
            }
        }

        return null;
    }

    private static AudioEncoding? EncodingOf(SdpRtpMap? map)
    {
        if (map is null || map.ClockRate != G711.ClockRate || map.Channels != 1)
        {
            return null;
        }

        if (map.EncodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase))
        {
            return AudioEncoding.Pcmu;
        }

        return map.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase) ? AudioEncoding.Pcma : null;
    }

    private static SdpRtpMap RtpMapFor(AudioEncoding encoding) =>
        new((int)encoding, encoding == AudioEncoding.Pcmu ? "PCMU" : "PCMA", G711.ClockRate);

    private static SdpSessionDescription NewDescription(SdpLocalMedia local, List<SdpMediaDescription> media) => new()
    {
        Origin = new SdpOrigin(local.UserName, local.SessionId, local.SessionVersion, SdpConnection.For(local.Address)),
        SessionName = local.SessionName,
        Connection = SdpConnection.For(local.Address),
        Media = media,
    };
}
