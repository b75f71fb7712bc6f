namespace Intake.Sip;

/// <summary>Transport protocols the stack can send and receive on.</summary>
public enum SipTransportProtocol
{
    Udp,
    Tcp,
    Tls,
}
