namespace Intake.Sip.Transport;

/// <summary>What the first line of a received message looks like before it is parsed.</summary>
public enum SipStartLinePeekKind
{
    Request,
    Response,

    /// <summary>Neither a method token followed by a space nor a SIP version: the parser will reject it.</summary>
    Malformed,
}
