using System.Net;
using Intake.Media.Codecs;

namespace Intake.Media.Sdp;

/// <summary>The agreed audio stream of an offer/answer exchange; apply it with <see cref="Rtp.RtpSession.Apply"/>.</summary>
/// <param name="MediaIndex">Index of the m= line carrying the stream.</param>
/// <param name="RemoteAddress">Peer's c= address (an IP, or a host name to resolve).</param>
/// <param name="RemotePort">Peer's RTP port.</param>
/// <param name="RemoteRtcpPort">Peer's RTCP port (a=rtcp or port + 1).</param>
/// <param name="Encoding">Codec used both ways.</param>
/// <param name="PayloadType">Its payload type number (static, so the same both ways).</param>
/// <param name="SendTelephoneEventPayloadType">telephone-event type the peer expects from us, or null.</param>
/// <param name="ReceiveTelephoneEventPayloadType">telephone-event type we announced for what we receive, or null.</param>
/// <param name="Ptime">Packetization time in ms.</param>
/// <param name="LocalDirection">Our direction in the exchange.</param>
/// <param name="RemoteDirection">The peer's direction (sendonly / inactive or c=0.0.0.0 mean the peer holds us).</param>
public sealed record NegotiatedAudio(
    int MediaIndex,
    string RemoteAddress,
    int RemotePort,
    int RemoteRtcpPort,
    AudioEncoding Encoding,
    byte PayloadType,
    byte? SendTelephoneEventPayloadType,
    byte? ReceiveTelephoneEventPayloadType,
    int Ptime,
    SdpDirection LocalDirection,
    SdpDirection RemoteDirection)
{
    /// <summary>Peer RTP endpoint, or null when <see cref="RemoteAddress"/> is a host name.</summary>
    public IPEndPoint? RemoteRtpEndPoint => IPAddress.TryParse(RemoteAddress, out var ip) ? new IPEndPoint(ip, RemotePort) : null;

    /// <summary>Peer RTCP endpoint, or null when <see cref="RemoteAddress"/> is a host name.</summary>
    public IPEndPoint? RemoteRtcpEndPoint => IPAddress.TryParse(RemoteAddress, out var ip) ? new IPEndPoint(ip, RemoteRtcpPort) : null;

    /// <summary>Whether we may send media to the peer.</summary>
    public bool LocalSends => LocalDirection.Sends();

    /// <summary>Whether the peer will send media (false on hold: expect no RTP, do not time out).</summary>
    public bool RemoteSends => RemoteDirection.Sends();
}
