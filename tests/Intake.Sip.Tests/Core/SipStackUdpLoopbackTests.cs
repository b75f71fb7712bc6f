using System.Net;
using System.Net.Sockets;
using System.Text;
using Intake.Sip.Core;
using Intake.Sip.Messages;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Sip.Tests.Core;

/// <summary>The stack over the real UDP transport on 127.0.0.1 (no fakes on the wire).</summary>
public sealed class SipStackUdpLoopbackTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private static async Task<SipStack> StartStackAsync(RecordingRequestHandler handler)
    {
        var options = new SipStackOptions
        {
            Transport = new SipTransportOptions { ListenEndPoints = [new IPEndPoint(IPAddress.Loopback, 0)], EnableTcp = false },
        };
        var stack = new SipStack(options, handler, TimeProvider.System, NullLoggerFactory.Instance);
        await stack.StartAsync(CancellationToken.None);
        return stack;
    }

    [Fact]
    public async Task ReceiveAsync_RealUdpOptions_AnsweredToSourcePortWithRport()
    {
        var handler = new RecordingRequestHandler { OnRequest = async (tx, _) => await tx.SendResponseAsync(tx.CreateResponse(200)) };
        await using var stack = await StartStackAsync(handler);
        var stackEndPoint = stack.LocalEndPoints.Single(e => e.Protocol == SipTransportProtocol.Udp).Address;
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var request = SipText.Request("OPTIONS", viaHost: "10.9.9.9", viaPort: 5999, rport: true,
            requestUri: $"sip:intake@127.0.0.1:{stackEndPoint.Port}");

        await peer.SendAsync(Encoding.UTF8.GetBytes(request), stackEndPoint);
        using var timeout = new CancellationTokenSource(Deadline);
        var datagram = await peer.ReceiveAsync(timeout.Token);

        var response = (SipResponse)SipParser.Parse(datagram.Buffer).Message!;
        Assert.Equal(200, response.StatusCode);
        Assert.Equal("127.0.0.1", response.TopVia!.Received);
        Assert.Equal(((IPEndPoint)peer.Client.LocalEndPoint!).Port, response.TopVia.Rport);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task SendRequestAsync_RealUdpPeerAnswers_FinalResponseCompletes()
    {
        await using var stack = await StartStackAsync(new RecordingRequestHandler());
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peerEndPoint = (IPEndPoint)peer.Client.LocalEndPoint!;
        var options = stack.CreateRequest(SipMethods.Options, SipUri.Parse($"sip:peer@127.0.0.1:{peerEndPoint.Port}"),
            new SipNameAddress(SipUri.Parse("sip:intake@127.0.0.1")), new SipNameAddress(SipUri.Parse("sip:peer@127.0.0.1")));

        var tx = await stack.SendRequestAsync(options);
        using var timeout = new CancellationTokenSource(Deadline);
        var datagram = await peer.ReceiveAsync(timeout.Token);
        var received = (SipRequest)SipParser.Parse(datagram.Buffer).Message!;
        var ok = SipResponse.CreateFor(received, 200, null, "peer1");
        await peer.SendAsync(ok.ToBytes(), datagram.RemoteEndPoint, timeout.Token);

        var final = await tx.FinalResponse.WaitAsync(Deadline);
        Assert.Equal(200, final.StatusCode);
        Assert.Equal("peer1", final.To!.Tag);
    }
}
