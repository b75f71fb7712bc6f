using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Transactions;

public sealed class ServerNonInviteTransactionTests
{
    private static readonly string Options = SipText.Request("OPTIONS", branch: "z9hG4bKopt1");

    [Fact]
    public async Task SendResponseAsync_Final_RetransmittedRequestGetsSameResponse()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = (tx, _) => Send(tx, 200);
        await h.InjectAsync(Options);
        await h.InjectAsync(Options);
        await h.InjectAsync(Options);

        Assert.Single(h.Handler.Requests);
        var oks = h.Wire.Responses(200);
        Assert.Equal(3, oks.Count);
        Assert.All(oks, ok => Assert.Equal(oks[0].Response.To!.Tag, ok.Response.To!.Tag));
    }

    [Fact]
    public async Task OnRequestAsync_RetransmissionInTrying_IsAbsorbed()
    {
        var h = new StackHarness();
        await h.InjectAsync(Options);
        await h.InjectAsync(Options);

        Assert.Single(h.Handler.Requests);
        Assert.Empty(h.Wire.Sent);
        Assert.Equal(SipTransactionState.Trying, h.Handler.Requests[0].Transaction.State);
    }

    [Fact]
    public async Task OnRequestAsync_RetransmissionInProceeding_ResendsProvisional()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = (tx, _) => Send(tx, 182);
        await h.InjectAsync(Options);
        await h.InjectAsync(Options);

        Assert.Equal(2, h.Wire.Responses(182).Count);
        Assert.Equal(SipTransactionState.Proceeding, h.Handler.Requests[0].Transaction.State);
    }

    [Fact]
    public async Task TimerJ_Udp_TerminatesAfter64T1()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = (tx, _) => Send(tx, 200);
        await h.InjectAsync(Options);
        var tx = h.Handler.Requests[0].Transaction;

        h.AdvanceMs(31_990);
        Assert.Equal(SipTransactionState.Completed, tx.State);
        await h.InjectAsync(Options);
        Assert.Equal(2, h.Wire.Responses(200).Count);

        h.AdvanceMs(10);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Stack.Transactions.ServerTransactionCount);
    }

    [Fact]
    public async Task SendResponseAsync_FinalOverTcp_TerminatesAtOnce()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = (tx, _) => Send(tx, 200);
        await h.InjectAsync(SipText.Request("OPTIONS", viaTransport: "TCP"), StackHarness.CallerTcp, connectionId: 7);

        var tx = h.Handler.Requests[0].Transaction;
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(7, h.Wire.Sent.Single().ConnectionId);
        Assert.Equal(0, h.Stack.Transactions.ServerTransactionCount);
    }

    [Fact]
    public async Task SendResponseAsync_SecondFinal_IsRejected()
    {
        var h = new StackHarness();
        await h.InjectAsync(Options);
        var tx = h.Handler.Requests[0].Transaction;

        Assert.True(await tx.SendResponseAsync(tx.CreateResponse(200)));
        Assert.False(await tx.SendResponseAsync(tx.CreateResponse(500)));
        Assert.Single(h.Wire.Sent);
    }

    [Fact]
    public async Task SendResponseAsync_TransportError_TerminatesAndReturnsFalse()
    {
        var h = new StackHarness();
        await h.InjectAsync(Options);
        var tx = h.Handler.Requests[0].Transaction;
        h.Wire.Fail = true;

        Assert.False(await tx.SendResponseAsync(tx.CreateResponse(200)));
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    private static async ValueTask Send(SipServerTransaction tx, int status) => await tx.SendResponseAsync(tx.CreateResponse(status));
}
