using System.Net;
using System.Text;
using Intake.Sip.Core;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Core;

/// <summary>A <see cref="SipStack"/> on a fake wire and a fake clock: inject, expect, advance.</summary>
internal sealed class StackHarness
{
    public static readonly SipEndPoint CallerUdp = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(SipText.CallerHost), 5060));
    public static readonly SipEndPoint CallerTcp = new(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Parse(SipText.CallerHost), 40001));

    public StackHarness(SipStackOptions? options = null)
    {
        Wire = new WireRecorder(Time);
        Stack = new SipStack(options ?? new SipStackOptions(), Handler, Wire, Time, NullLoggerFactory.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    public WireRecorder Wire { get; }

    public RecordingRequestHandler Handler { get; } = new();

    public SipStack Stack { get; }

    public ValueTask InjectAsync(string text, SipEndPoint? from = null, long connectionId = 0)
    {
        var remote = from ?? CallerUdp;
        var local = remote.Protocol == SipTransportProtocol.Tcp ? WireRecorder.LocalTcp : WireRecorder.LocalUdp;
        return Stack.ReceiveAsync(new SipInboundMessage(Encoding.UTF8.GetBytes(text), remote, local, connectionId));
    }

    /// <summary>Advances in 10 ms steps so that timers re-armed inside callbacks fire at their exact times.</summary>
    public void Advance(TimeSpan total)
    {
        var step = TimeSpan.FromMilliseconds(10);
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += step)
        {
            Time.Advance(total - elapsed < step ? total - elapsed : step);
        }
    }

    public void AdvanceMs(int milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));
}
