using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Transactions;

public sealed class ServerInviteTransactionTests
{
    private static readonly string Invite = SipText.Request();

    private static string AckFor(string toTag) => SipText.Request("ACK", toTag: toTag, contact: null);

    [Fact]
    public async Task Receive_NewInvite_Sends100TryingAndReachesTu()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);

        var trying = Assert.Single(h.Wire.Sent);
        Assert.True(trying.IsResponse(100));
        Assert.Null(trying.Response.To!.Tag);
        Assert.IsType<ServerInviteTransaction>(Assert.Single(h.Handler.Requests).Transaction);
    }

    [Fact]
    public async Task OnRequestAsync_RetransmittedInviteInProceeding_ResendsLastProvisional()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(180));
        await h.InjectAsync(Invite);

        Assert.Single(h.Handler.Requests);
        Assert.Equal(2, h.Wire.Responses(180).Count);
    }

    [Fact]
    public async Task TimerG_NonSuccessFinalOverUdp_RetransmitsWithDoublingCappedAtT2UntilTimerH()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(486));

        h.AdvanceMs(40_000);

        var times = h.Wire.Responses(486).Select(m => m.At.TotalMilliseconds).ToArray();
        double[] expected = [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500];
        Assert.Equal(expected, times);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(0, h.Stack.Transactions.ServerTransactionCount);
    }

    [Fact]
    public async Task OnRequestAsync_AckForNonSuccess_IsAbsorbedAndStopsRetransmission()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(486));
        h.AdvanceMs(600);
        await h.InjectAsync(AckFor(tx.LocalTag));

        Assert.Equal(SipTransactionState.Confirmed, tx.State);
        h.AdvanceMs(4_990);
        Assert.Equal(2, h.Wire.Responses(486).Count);
        Assert.Empty(h.Handler.Acks);
        Assert.Single(h.Handler.Requests);
        Assert.Equal(SipTransactionState.Confirmed, tx.State);

        h.AdvanceMs(10); // Timer I = T4
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task OnRequestAsync_RetransmittedInviteInCompleted_ResendsFinal()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(603));
        await h.InjectAsync(Invite);

        Assert.Equal(2, h.Wire.Responses(603).Count);
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task TimerH_NoAck_TerminatesWithoutFurtherSends()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(404));
        h.AdvanceMs(32_000);
        var count = h.Wire.Sent.Count;

        h.AdvanceMs(10_000);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(count, h.Wire.Sent.Count);
    }

    [Fact]
    public async Task SendResponseAsync_NonSuccessOverTcp_NoRetransmissionAndAckTerminatesAtOnce()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request(viaTransport: "TCP"), StackHarness.CallerTcp, 3);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(486));
        h.AdvanceMs(10_000);
        Assert.Single(h.Wire.Responses(486));
        Assert.Equal(SipTransactionState.Completed, tx.State);

        await h.InjectAsync(SipText.Request("ACK", viaTransport: "TCP", toTag: tx.LocalTag, contact: null), StackHarness.CallerTcp, 3);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task TimerH_OverTcp_StillTimesOut()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request(viaTransport: "TCP"), StackHarness.CallerTcp, 3);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(486));

        h.AdvanceMs(32_000);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task SendResponseAsync_Success_EntersAcceptedAbsorbsRetransmissionsAndEndsAfterTimerL()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var tx = h.Handler.Requests[0].Transaction;
        await tx.SendResponseAsync(tx.CreateResponse(200));
        Assert.Equal(SipTransactionState.Accepted, tx.State);
        h.Wire.Clear();

        await h.InjectAsync(Invite);
        Assert.Empty(h.Wire.Sent);
        Assert.Single(h.Handler.Requests);

        h.AdvanceMs(32_000);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }
}
