using System.Net.Sockets;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;

namespace Intake.Sip.Core;

/// <summary>The production wire: serializes and hands bytes to the <see cref="SipTransportLayer"/>.</summary>
internal sealed class TransportMessageSink : ISipMessageSink
{
    private readonly SipTransportLayer _transport;

    public TransportMessageSink(SipTransportLayer transport) => _transport = transport;

    public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint destination, long connectionId) =>
        _transport.SendAsync(destination, message.ToBytes(), connectionId);

    public SipEndPoint? GetLocalEndPoint(SipTransportProtocol protocol, AddressFamily family) =>
        _transport.GetLocalEndPoint(protocol, family);
}
