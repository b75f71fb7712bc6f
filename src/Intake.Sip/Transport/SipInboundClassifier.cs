using Intake.Sip.Messages;

namespace Intake.Sip.Transport;

/// <summary>
/// The policy when the application supplies none: responses and the methods of INVITE transactions and dialogs
/// first, everything else (REGISTER, OPTIONS, SUBSCRIBE, unknown methods...) after them; nothing is discarded.
/// </summary>
public sealed class SipInboundClassifier : ISipInboundClassifier
{
    public static SipInboundClassifier Default { get; } = new();

    /// <summary>
    /// True for responses and for requests that set up, answer or live in an INVITE dialog (INVITE, ACK, CANCEL,
    /// BYE, PRACK, UPDATE, INFO). Keeping all of them on one side keeps a call's messages in arrival order; what
    /// is left (REGISTER, OPTIONS, SUBSCRIBE...) never shares a transaction with them.
    /// </summary>
    public static bool IsCallTraffic(SipStartLinePeek startLine) => startLine.IsResponse || IsCallMethod(startLine.Method);

    /// <summary>The request half of <see cref="IsCallTraffic"/>, for a parsed request's method (case-sensitive).</summary>
    public static bool IsCallMethod(string? method) =>
        method is SipMethods.Invite or SipMethods.Ack or SipMethods.Cancel or SipMethods.Bye or SipMethods.Prack or SipMethods.Update or SipMethods.Info;

    public SipInboundPriority Classify(SipEndPoint remote, SipStartLinePeek startLine) =>
        IsCallTraffic(startLine) ? SipInboundPriority.High : SipInboundPriority.Low;

    public void OnShed(SipEndPoint remote, SipStartLinePeek startLine)
    {
        // Nothing to count without an application: the transport's own log reports shedding.
    }
}
