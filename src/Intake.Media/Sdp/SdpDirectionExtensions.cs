namespace Intake.Media.Sdp;

/// <summary>Direction helpers for offer/answer.</summary>
public static class SdpDirectionExtensions
{
    /// <summary>The attribute name of a direction.</summary>
    public static string ToAttribute(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>Whether the side holding this direction sends media.</summary>
    public static bool Sends(this SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    /// <summary>Whether the side holding this direction receives media.</summary>
    public static bool Receives(this SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    /// <summary>
    /// The direction an answerer may use given the offered one and what it would like
    /// (RFC 3264 §6.1): it can only send if the offerer receives and vice versa.
    /// </summary>
    public static SdpDirection AnswerTo(this SdpDirection offered, SdpDirection wanted)
    {
        var send = wanted.Sends() && offered.Receives();
        var receive = wanted.Receives() && offered.Sends();
        return (send, receive) switch
        {
            (true, true) => SdpDirection.SendRecv,
            (true, false) => SdpDirection.SendOnly,
            (false, true) => SdpDirection.RecvOnly,
            _ => SdpDirection.Inactive,
        };
    }

    /// <summary>The direction as seen from the other side (sendonly ⇄ recvonly).</summary>
    public static SdpDirection Reverse(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => SdpDirection.RecvOnly,
        SdpDirection.RecvOnly => SdpDirection.SendOnly,
        _ => direction,
    };
}
