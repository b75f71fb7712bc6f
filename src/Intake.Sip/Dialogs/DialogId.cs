using Intake.Sip.Messages;

namespace Intake.Sip.Dialogs;

/// <summary>Dialog identifier (RFC 3261 §12): Call-ID plus local and remote tags, as seen from this side.</summary>
public readonly record struct DialogId(string CallId, string LocalTag, string RemoteTag)
{
    /// <summary>The dialog an inbound request belongs to: our tag is in To, the peer's in From.</summary>
    public static bool TryFromInboundRequest(SipRequest request, out DialogId id) =>
        TryCreate(request.CallId, request.To?.Tag, request.From?.Tag, out id);

    /// <summary>The dialog an inbound response belongs to: our tag is in From, the peer's in To.</summary>
    public static bool TryFromInboundResponse(SipResponse response, out DialogId id) =>
        TryCreate(response.CallId, response.From?.Tag, response.To?.Tag, out id);

    /// <summary>The dialog of a response this side sent (UAS): our tag is in To.</summary>
    public static bool TryFromOutboundResponse(SipResponse response, out DialogId id) =>
        TryCreate(response.CallId, response.To?.Tag, response.From?.Tag, out id);

    private static bool TryCreate(string? callId, string? localTag, string? remoteTag, out DialogId id)
    {
        if (callId is null || localTag is null || remoteTag is null)
        {
            id = default;
            return false;
        }

        id = new DialogId(callId, localTag, remoteTag);
        return true;
    }

    public override string ToString() => $"{CallId};local={LocalTag};remote={RemoteTag}";
}
