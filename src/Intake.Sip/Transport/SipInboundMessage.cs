namespace Intake.Sip.Transport;

/// <summary>
/// One received SIP message (a UDP datagram or one TCP-framed message).
/// <see cref="Data"/> points into a pooled receive buffer and is valid only while the handler runs;
/// anything that must outlive the call has to copy it (the parser does).
/// </summary>
public readonly struct SipInboundMessage
{
    public SipInboundMessage(ReadOnlyMemory<byte> data, SipEndPoint remote, SipEndPoint local, long connectionId)
    {
        Data = data;
        Remote = remote;
        Local = local;
        ConnectionId = connectionId;
    }

    public ReadOnlyMemory<byte> Data { get; init; }

    public SipEndPoint Remote { get; init; }

    public SipEndPoint Local { get; init; }

    /// <summary>Identifies the TCP connection the message arrived on, so the answer can reuse it; 0 for UDP.</summary>
    public long ConnectionId { get; init; }
}
