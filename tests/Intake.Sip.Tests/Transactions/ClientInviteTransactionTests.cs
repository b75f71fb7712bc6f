using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Transactions;

public sealed class ClientInviteTransactionTests
{
    private static SipRequest NewInvite(StackHarness h) =>
        h.Stack.CreateRequest(SipMethods.Invite, SipUri.Parse("sip:operator@192.0.2.10"),
            ClientNonInviteTransactionTests.SipNameAddressOf("sip:intake@127.0.0.1"),
            ClientNonInviteTransactionTests.SipNameAddressOf("sip:operator@192.0.2.10"),
            SipUri.Parse("sip:intake@127.0.0.1:5060"));

    [Fact]
    public async Task TimerA_Udp_DoublesWithoutCapUntilTimerBReports408()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerUdp);

        h.AdvanceMs(40_000);

        var times = h.Wire.Requests(SipMethods.Invite).Select(m => m.At.TotalMilliseconds).ToArray();
        Assert.Equal([0, 500, 1500, 3500, 7500, 15500, 31500], times);
        Assert.Equal(408, (await tx.FinalResponse).StatusCode);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task OnResponseAsync_Provisional_StopsRetransmissionAndNotifies()
    {
        var h = new StackHarness();
        var seen = new List<int>();
        var tx = await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerUdp, r => seen.Add(r.StatusCode));
        await h.InjectAsync(SipText.ResponseTo(h.Wire.Sent[0].Request, 180, "op1"));

        h.AdvanceMs(60_000);

        Assert.Single(h.Wire.Requests(SipMethods.Invite));
        Assert.Equal([180], seen);
        Assert.Equal(SipTransactionState.Proceeding, tx.State);
        Assert.False(tx.FinalResponse.IsCompleted);
    }

    [Fact]
    public async Task OnResponseAsync_NonSuccess_TransactionSendsAckAndRepeatsItForRetransmissions()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerUdp);
        var invite = h.Wire.Sent[0].Request;
        var busy = SipText.ResponseTo(invite, 486, "op1");
        await h.InjectAsync(busy);

        Assert.Equal(486, (await tx.FinalResponse).StatusCode);
        var ack = Assert.Single(h.Wire.Requests(SipMethods.Ack)).Request;
        Assert.Equal(invite.RequestUri, ack.RequestUri);
        Assert.Equal(invite.TopVia!.Branch, ack.TopVia!.Branch);
        Assert.Single(ack.Vias);
        Assert.Equal("op1", ack.To!.Tag);
        Assert.Equal(invite.From!.Tag, ack.From!.Tag);
        Assert.Equal(invite.CallId, ack.CallId);
        Assert.Equal(new SipCSeq(invite.CSeq!.Value.Number, SipMethods.Ack), ack.CSeq);

        await h.InjectAsync(busy);
        Assert.Equal(2, h.Wire.Requests(SipMethods.Ack).Count);
        Assert.Equal(SipTransactionState.Completed, tx.State);

        h.AdvanceMs(31_990);
        Assert.Equal(SipTransactionState.Completed, tx.State);
        h.AdvanceMs(10); // Timer D = 32 s
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task OnResponseAsync_NonSuccessOverTcp_AcksAndTerminatesAtOnce()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerTcp);
        await h.InjectAsync(SipText.ResponseTo(h.Wire.Sent[0].Request, 503, "op1"), StackHarness.CallerTcp, 4);

        Assert.Single(h.Wire.Requests(SipMethods.Ack));
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        h.AdvanceMs(10_000);
        Assert.Single(h.Wire.Requests(SipMethods.Invite));
    }

    [Fact]
    public async Task OnResponseAsync_Success_PassedToTuWithoutAckAndAcceptedUntilTimerM()
    {
        var h = new StackHarness();
        var tx = await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerUdp);
        await h.InjectAsync(SipText.ResponseTo(h.Wire.Sent[0].Request, 200, "op1", ["Contact: <sip:op@192.0.2.10:5070>"]));

        Assert.Equal(200, (await tx.FinalResponse).StatusCode);
        Assert.Empty(h.Wire.Requests(SipMethods.Ack));
        Assert.Equal(SipTransactionState.Accepted, tx.State);

        h.AdvanceMs(32_000);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
    }

    [Fact]
    public async Task CancelAsync_AfterProvisional_SendsCancelWithInviteBranch()
    {
        var h = new StackHarness();
        var tx = (ClientInviteTransaction)await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerUdp);
        var invite = h.Wire.Sent[0].Request;
        await h.InjectAsync(SipText.ResponseTo(invite, 180, "op1"));

        var cancelTask = h.Stack.CancelAsync(tx);
        var cancel = Assert.Single(h.Wire.Requests(SipMethods.Cancel)).Request;
        Assert.Equal(invite.TopVia!.Branch, cancel.TopVia!.Branch);
        Assert.Equal(new SipCSeq(invite.CSeq!.Value.Number, SipMethods.Cancel), cancel.CSeq);
        Assert.Null(cancel.To!.Tag);

        await h.InjectAsync(SipText.ResponseTo(cancel, 200, "op1"));
        Assert.Equal(200, (await cancelTask)!.StatusCode);
        await h.InjectAsync(SipText.ResponseTo(invite, 487, "op1"));
        Assert.Equal(487, (await tx.FinalResponse).StatusCode);
        Assert.Single(h.Wire.Requests(SipMethods.Ack));
    }

    [Fact]
    public async Task CancelAsync_BeforeAnyResponse_WaitsForProvisional()
    {
        var h = new StackHarness();
        var tx = (ClientInviteTransaction)await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerUdp);
        var cancelTask = h.Stack.CancelAsync(tx);
        Assert.Empty(h.Wire.Requests(SipMethods.Cancel));

        await h.InjectAsync(SipText.ResponseTo(h.Wire.Sent[0].Request, 100));
        await WaitUntil(() => h.Wire.Requests(SipMethods.Cancel).Count == 1);
        Assert.False(cancelTask.IsCompleted);
    }

    [Fact]
    public async Task CancelAsync_AfterFinal_SendsNothing()
    {
        var h = new StackHarness();
        var tx = (ClientInviteTransaction)await h.Stack.SendRequestAsync(NewInvite(h), StackHarness.CallerUdp);
        await h.InjectAsync(SipText.ResponseTo(h.Wire.Sent[0].Request, 486, "op1"));

        Assert.Null(await h.Stack.CancelAsync(tx));
        Assert.Empty(h.Wire.Requests(SipMethods.Cancel));
    }

    /// <summary>CancelAsync continues on the thread pool after the first response; bounded wait, no sleeping.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
