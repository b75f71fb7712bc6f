using System.Net;
using System.Net.Sockets;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Core;

/// <summary>One message as it went on the fake wire: re-parsed from its bytes, with the send time.</summary>
internal sealed record WireMessage(SipMessage Message, SipEndPoint Destination, long ConnectionId, TimeSpan At)
{
    public SipRequest Request => (SipRequest)Message;

    public SipResponse Response => (SipResponse)Message;

    public bool IsResponse(int statusCode) => Message is SipResponse r && r.StatusCode == statusCode;

    public bool IsRequest(string method) => Message is SipRequest r && r.Method == method;
}

/// <summary>The fake transport: records every send (serialized and parsed back, so tests see the real wire form).</summary>
internal sealed class WireRecorder : ISipMessageSink
{
    public static readonly SipEndPoint LocalUdp = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.1"), 5060));
    public static readonly SipEndPoint LocalTcp = new(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Parse("127.0.0.1"), 5060));

    private readonly TimeProvider _time;
    private readonly DateTimeOffset _start;
    private readonly List<WireMessage> _sent = [];

    public WireRecorder(TimeProvider time)
    {
        _time = time;
        _start = time.GetUtcNow();
    }

    /// <summary>When true every send reports a transport error.</summary>
    public bool Fail { get; set; }

    public IReadOnlyList<WireMessage> Sent
    {
        get { lock (_sent) return [.. _sent]; }
    }

    public IReadOnlyList<WireMessage> Responses(int statusCode) => [.. Sent.Where(m => m.IsResponse(statusCode))];

    public IReadOnlyList<WireMessage> Requests(string method) => [.. Sent.Where(m => m.IsRequest(method))];

    public void Clear()
    {
        lock (_sent) _sent.Clear();
    }

    public ValueTask<bool> SendAsync(SipMessage message, SipEndPoint destination, long connectionId)
    {
        var parsed = SipParser.Parse(message.ToBytes());
        Assert.True(parsed.Success, $"the stack sent an unparsable message: {parsed.Error}");
        lock (_sent) _sent.Add(new WireMessage(parsed.Message!, destination, connectionId, _time.GetUtcNow() - _start));
        return ValueTask.FromResult(!Fail);
    }

    public SipEndPoint? GetLocalEndPoint(SipTransportProtocol protocol, AddressFamily family) =>
        family != AddressFamily.InterNetwork ? null : protocol == SipTransportProtocol.Tcp ? LocalTcp : LocalUdp;
}
