using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Transactions;

public sealed class ClientNonInviteTransactionTests
{
    private static SipRequest NewOptions(StackHarness h) =>
        h.Stack.CreateRequest(SipMethods.Options, SipUri.Parse("sip:peer@192.0.2.10"),
            SipNameAddressOf("sip:intake@127.0.0.1"), SipNameAddressOf("sip:peer@192.0.2.10"));

    internal static SipNameAddress SipNameAddressOf(string uri) => new(SipUri.Parse(uri));

    [Fact]
    public async Task TimerE_Udp_DoublesCappedAtT2UntilTimerFReports408()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewOptions(h), StackHarness.CallerUdp);

        h.AdvanceMs(40_000);

        var times = h.Wire.Requests(SipMethods.Options).Select(m => m.At.TotalMilliseconds).ToArray();
        double[] expected = [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500];
        Assert.Equal(expected, times);
        Assert.True(tx.FinalResponse.IsCompleted);
        Assert.Equal(408, (await tx.FinalResponse).StatusCode);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Stack.Transactions.ClientTransactionCount);
    }

    [Fact]
    public async Task TimerE_AfterProvisional_RetransmitsEveryT2()
    {
        var h = new StackHarness();
        var provisional = new List<int>();
        var tx = await h.Stack.SendRequestAsync(NewOptions(h), StackHarness.CallerUdp, r => provisional.Add(r.StatusCode));
        var sent = h.Wire.Sent[0].Request;
        h.AdvanceMs(600);
        await h.InjectAsync(SipText.ResponseTo(sent, 100));
        h.Wire.Clear();

        h.AdvanceMs(12_000);

        var times = h.Wire.Requests(SipMethods.Options).Select(m => m.At.TotalMilliseconds).ToArray();
        Assert.Equal([1500, 5500, 9500], times);
        Assert.Equal([100], provisional);
        Assert.Equal(SipTransactionState.Proceeding, tx.State);
    }

    [Fact]
    public async Task OnResponseAsync_Final_CompletesThenTimerKTerminates()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewOptions(h), StackHarness.CallerUdp);
        var ok = SipText.ResponseTo(h.Wire.Sent[0].Request, 200, "peer1");
        await h.InjectAsync(ok);

        Assert.Equal(200, (await tx.FinalResponse).StatusCode);
        Assert.Equal(SipTransactionState.Completed, tx.State);
        await h.InjectAsync(ok);
        Assert.Empty(h.Handler.StrayResponses);

        h.AdvanceMs(5_000);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Single(h.Wire.Sent);
    }

    [Fact]
    public async Task SendRequestAsync_Tcp_NoRetransmissionButTimerF()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewOptions(h), StackHarness.CallerTcp);
        Assert.Contains("TCP", h.Wire.Sent[0].Request.Headers.Get(HeaderId.Via), StringComparison.Ordinal);

        h.AdvanceMs(32_000);
        Assert.Single(h.Wire.Sent);
        Assert.Equal(408, (await tx.FinalResponse).StatusCode);
    }

    [Fact]
    public async Task OnResponseAsync_FinalOverTcp_TerminatesAtOnce()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewOptions(h), StackHarness.CallerTcp);
        await h.InjectAsync(SipText.ResponseTo(h.Wire.Sent[0].Request, 404, "p"), StackHarness.CallerTcp, 9);

        Assert.Equal(404, (await tx.FinalResponse).StatusCode);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task SendRequestAsync_TransportError_Reports503()
    {
        var h = new StackHarness();
        h.Wire.Fail = true;
        var tx = await h.Stack.SendRequestAsync(NewOptions(h), StackHarness.CallerUdp);

        Assert.Equal(503, (await tx.FinalResponse).StatusCode);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task SendRequestAsync_AddsViaWithMagicCookieBranchAndRport()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewOptions(h), StackHarness.CallerUdp);

        var via = h.Wire.Sent[0].Request.TopVia!;
        Assert.StartsWith(SipBranch.MagicCookie, via.Branch, StringComparison.Ordinal);
        Assert.Equal(tx.Branch, via.Branch);
        Assert.True(via.HasRport);
        Assert.Equal("127.0.0.1:5060", via.SentBy);
    }
}
