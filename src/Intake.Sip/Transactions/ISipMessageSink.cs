using System.Net.Sockets;
using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Transactions;

/// <summary>
/// The wire as seen by transactions and the stack core. Production code implements it over the transport layer;
/// tests implement it with a recorder.
/// </summary>
public interface ISipMessageSink
{
    /// <summary>Serializes and sends one message; <paramref name="connectionId"/> (0 for none) prefers an existing connection.</summary>
    /// <returns>false on a transport error; network failures never throw.</returns>
    ValueTask<bool> SendAsync(SipMessage message, SipEndPoint destination, long connectionId);

    /// <summary>The local endpoint used to reach a destination of this protocol and family, for Via and Contact.</summary>
    SipEndPoint? GetLocalEndPoint(SipTransportProtocol protocol, AddressFamily family);
}
