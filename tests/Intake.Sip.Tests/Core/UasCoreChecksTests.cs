using System.Text;
using Intake.Sip.Core;
using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Core;

public sealed class UasCoreChecksTests
{
    [Fact]
    public async Task Receive_MaxForwardsZeroInvite_Gets483()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request(maxForwards: 0));

        Assert.True(Assert.Single(h.Wire.Sent).IsResponse(483));
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task Receive_MaxForwardsZeroOptions_ReachesTu()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = async (tx, _) => await tx.SendResponseAsync(tx.CreateResponse(200));
        await h.InjectAsync(SipText.Request("OPTIONS", maxForwards: 0));

        Assert.Single(h.Handler.Requests);
        Assert.True(Assert.Single(h.Wire.Sent).IsResponse(200));
    }

    [Fact]
    public async Task Receive_MergedRequestWithOtherBranch_Gets482()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request(branch: "z9hG4bKpath1"));
        await h.InjectAsync(SipText.Request(branch: "z9hG4bKpath2"));

        Assert.Single(h.Handler.Requests);
        var loop = Assert.Single(h.Wire.Responses(482));
        Assert.Equal("z9hG4bKpath2", loop.Response.TopVia!.Branch);
    }

    [Fact]
    public async Task Receive_SameCallAfterFirstTransactionEnded_IsNotMerged()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = async (tx, _) => await tx.SendResponseAsync(tx.CreateResponse(200));
        await h.InjectAsync(SipText.Request("OPTIONS", branch: "z9hG4bKa1"));
        h.AdvanceMs(32_000);
        await h.InjectAsync(SipText.Request("OPTIONS", branch: "z9hG4bKa2"));

        Assert.Equal(2, h.Handler.Requests.Count);
        Assert.Empty(h.Wire.Responses(482));
    }

    [Fact]
    public async Task Receive_UnknownRequire_Gets420ListingUnsupported()
    {
        var h = new StackHarness(new SipStackOptions { SupportedOptionTags = ["timer"] });
        await h.InjectAsync(SipText.Request(extraHeaders: ["Require: timer, 100rel", "Require: foo"]));

        var rejection = Assert.Single(h.Wire.Sent);
        Assert.True(rejection.IsResponse(420));
        Assert.Equal(["100rel", "foo"], rejection.Response.Headers.GetAll("Unsupported"));
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task Receive_SupportedRequire_ReachesTu()
    {
        var h = new StackHarness(new SipStackOptions { SupportedOptionTags = ["timer"] });
        await h.InjectAsync(SipText.Request(extraHeaders: ["Require: Timer"]));

        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task Receive_MalformedRequestWithReadableHeaders_GetsParserStatus()
    {
        var h = new StackHarness();
        var text = SipText.Request("OPTIONS", cseqMethod: "INVITE");
        await h.InjectAsync(text);

        var response = Assert.Single(h.Wire.Sent);
        Assert.Equal(400, response.Response.StatusCode);
        Assert.Equal(StackHarness.CallerUdp, response.Destination);
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task Receive_Garbage_IsDroppedWithoutThrowing()
    {
        var h = new StackHarness();
        await h.Stack.ReceiveAsync(new SipInboundMessage(Encoding.ASCII.GetBytes("\x01\x02 not sip at all\r\n\r\n"), StackHarness.CallerUdp, WireRecorder.LocalUdp, 0));

        Assert.Empty(h.Wire.Sent);
    }

    [Fact]
    public async Task Receive_TuThrows_Answers500()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = (_, _) => throw new InvalidOperationException("boom");
        await h.InjectAsync(SipText.Request("OPTIONS"));

        Assert.True(Assert.Single(h.Wire.Sent).IsResponse(500));
    }

    [Fact]
    public async Task Receive_StrayResponse_ReachesTu()
    {
        var h = new StackHarness();
        var request = SipText.ParseRequest(SipText.Request("OPTIONS", branch: "z9hG4bKnotours"));
        await h.InjectAsync(SipText.ResponseTo(request, 200, "x"));

        Assert.Equal(200, Assert.Single(h.Handler.StrayResponses).StatusCode);
    }

    [Fact]
    public void UnsupportedRequirements_NoRequire_IsEmpty()
    {
        var request = SipText.ParseRequest(SipText.Request());

        Assert.Empty(UasRequestChecks.UnsupportedRequirements(request, []));
        Assert.False(UasRequestChecks.IsTooManyHops(request));
    }

    [Fact]
    public void TryResolve_NumericAndLocalhostUris_ResolveWithTransport()
    {
        Assert.True(SipDestinationResolver.TryResolve(SipUri.Parse("sip:a@192.0.2.1:5070;transport=tcp"), out var tcp));
        Assert.Equal("tcp:192.0.2.1:5070", tcp.ToString());
        Assert.True(SipDestinationResolver.TryResolve(SipUri.Parse("sip:a@localhost"), out var local));
        Assert.Equal("udp:127.0.0.1:5060", local.ToString());
        Assert.False(SipDestinationResolver.TryResolve(SipUri.Parse("sip:a@example.com"), out _));
    }

    [Fact]
    public void TryResolve_LooseRoute_UsesFirstRoute()
    {
        var request = SipText.ParseRequest(SipText.Request("BYE", requestUri: "sip:op@192.0.2.50", extraHeaders: ["Route: <sip:198.51.100.1:5080;lr>"]));

        Assert.True(SipDestinationResolver.TryResolve(request, out var destination));
        Assert.Equal("udp:198.51.100.1:5080", destination.ToString());
    }
}
