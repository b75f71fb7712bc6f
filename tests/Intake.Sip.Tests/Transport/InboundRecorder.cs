using System.Threading.Channels;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Transport;

/// <summary>A transport handler that copies every message (Data is only valid during the call) into a channel.</summary>
internal sealed class InboundRecorder
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly Func<SipInboundMessage, bool>? _throwWhen;

    public InboundRecorder(Func<SipInboundMessage, bool>? throwWhen = null)
    {
        _throwWhen = throwWhen;
    }

    public ValueTask HandleAsync(SipInboundMessage message)
    {
        if (_throwWhen?.Invoke(message) == true)
        {
            throw new InvalidOperationException("handler failure injected by test");
        }

        _received.Writer.TryWrite(new Received(message.Data.ToArray(), message.Remote, message.Local, message.ConnectionId));
        return ValueTask.CompletedTask;
    }

    public async Task<Received> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

    public bool TryTake(out Received? received)
    {
        var ok = _received.Reader.TryRead(out var item);
        received = item;
        return ok;
    }

    public sealed record Received(byte[] Data, SipEndPoint Remote, SipEndPoint Local, long ConnectionId)
    {
        public string Text => System.Text.Encoding.ASCII.GetString(Data);
    }
}
