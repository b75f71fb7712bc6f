using System.Net;
using Intake.Media.Codecs;

namespace Intake.Media.Sdp;

/// <summary>What our side offers or accepts for one audio stream.</summary>
public sealed class SdpLocalMedia
{
    /// <summary>Address written in c= and o= (the media bind or advertised address).</summary>
    public required IPAddress Address { get; init; }

    /// <summary>Our RTP port (the session's even port).</summary>
    public required int RtpPort { get; init; }

    /// <summary>Codecs we accept, in our order of preference when we make the offer.</summary>
    public IReadOnlyList<AudioEncoding> Codecs { get; init; } = [AudioEncoding.Pcmu, AudioEncoding.Pcma];

    /// <summary>Whether RFC 4733 telephone-event is offered/accepted.</summary>
    public bool TelephoneEvent { get; init; } = true;

    /// <summary>Dynamic payload type used for telephone-event in our offers.</summary>
    public byte TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>Direction we want (sendonly to put the peer on hold).</summary>
    public SdpDirection Direction { get; init; } = SdpDirection.SendRecv;

    /// <summary>Packetization time we send, in ms.</summary>
    public int Ptime { get; init; } = 20;

    /// <summary>o= user name.</summary>
    public string UserName { get; init; } = "intake";

    /// <summary>o= session id (keep per dialog).</summary>
    public ulong SessionId { get; init; } = 1;

    /// <summary>o= version; increment for every new description in the dialog.</summary>
    public ulong SessionVersion { get; init; } = 1;

    /// <summary>s= value.</summary>
    public string SessionName { get; init; } = "Intake";
}
