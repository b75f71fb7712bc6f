namespace Intake.Sip.Transport;

/// <summary>
/// The admission policy of the receive path, supplied by the application: it knows which sources are privileged
/// and what each source may spend, the stack does not. Called on the receive loop for every datagram (and every
/// framed TCP message) before parsing, so it must be cheap, must not block and must not throw.
/// </summary>
public interface ISipInboundClassifier
{
    /// <summary>
    /// Sorts one message. Every message of one transaction or dialog from one source must get the same answer (all
    /// requests of a method alike, all responses alike), since messages of different priorities may be reordered.
    /// </summary>
    SipInboundPriority Classify(SipEndPoint remote, SipStartLinePeek startLine);

    /// <summary>
    /// A message classified <see cref="SipInboundPriority.Normal"/> or <see cref="SipInboundPriority.Low"/> was
    /// dropped because its queue was full.
    /// </summary>
    void OnShed(SipEndPoint remote, SipStartLinePeek startLine);
}
