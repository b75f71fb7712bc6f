namespace Intake.Sip.Transport;

/// <summary>Receives every inbound message; calls are serialised per socket/connection.</summary>
public delegate ValueTask SipInboundHandler(SipInboundMessage message);
