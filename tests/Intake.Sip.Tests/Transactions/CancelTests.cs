using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Transactions;

public sealed class CancelTests
{
    private static readonly string Invite = SipText.Request();
    private static readonly string Cancel = SipText.Request("CANCEL", contact: null);

    [Fact]
    public async Task Cancel_InviteProceeding_Answers200AndInviteGets487()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var invite = (ServerInviteTransaction)h.Handler.Requests[0].Transaction;
        await invite.SendResponseAsync(invite.CreateResponse(180));

        await h.InjectAsync(Cancel);

        var ok = Assert.Single(h.Wire.Responses(200));
        Assert.Equal(SipMethods.Cancel, ok.Response.CSeq!.Value.Method);
        Assert.Equal(invite.LocalTag, ok.Response.To!.Tag);
        var terminated = Assert.Single(h.Wire.Responses(487));
        Assert.Equal(SipMethods.Invite, terminated.Response.CSeq!.Value.Method);
        Assert.Equal(invite.LocalTag, terminated.Response.To!.Tag);
        Assert.True(invite.IsCancelled);
        Assert.True(invite.CancellationRequested.IsCancellationRequested);
        Assert.Same(invite, Assert.Single(h.Handler.Cancelled));
        Assert.Equal(SipTransactionState.Completed, invite.State);
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task Cancel_ThenTuAnswers_TuResponseRejected()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var invite = h.Handler.Requests[0].Transaction;
        await h.InjectAsync(Cancel);

        Assert.False(await invite.SendResponseAsync(invite.CreateResponse(200)));
        Assert.DoesNotContain(h.Wire.Sent, m => m.IsResponse(200) && m.Response.CSeq!.Value.Method == SipMethods.Invite);
    }

    [Fact]
    public async Task Cancel_MatchingNothing_Gets481()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request("CANCEL", branch: "z9hG4bKunknown", contact: null));

        var response = Assert.Single(h.Wire.Sent);
        Assert.True(response.IsResponse(481));
        Assert.Empty(h.Handler.Requests);
        Assert.Empty(h.Handler.Cancelled);
    }

    [Fact]
    public async Task Cancel_AfterFinalResponse_Gets200WithoutEffect()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var invite = (ServerInviteTransaction)h.Handler.Requests[0].Transaction;
        await invite.SendResponseAsync(invite.CreateResponse(486));

        await h.InjectAsync(Cancel);

        Assert.Single(h.Wire.Responses(200));
        Assert.Empty(h.Wire.Responses(487));
        Assert.False(invite.IsCancelled);
        Assert.Empty(h.Handler.Cancelled);
    }

    [Fact]
    public async Task Cancel_Retransmitted_AbsorbedWithSame200()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        await h.InjectAsync(Cancel);
        await h.InjectAsync(Cancel);

        Assert.Equal(2, h.Wire.Responses(200).Count);
        Assert.Single(h.Wire.Responses(487));
        Assert.Single(h.Handler.Cancelled);
    }

    [Fact]
    public async Task Cancel_AckFor487_IsAbsorbed()
    {
        var h = new StackHarness();
        await h.InjectAsync(Invite);
        var invite = (ServerInviteTransaction)h.Handler.Requests[0].Transaction;
        await h.InjectAsync(Cancel);
        await h.InjectAsync(SipText.Request("ACK", toTag: invite.LocalTag, contact: null));

        Assert.Equal(SipTransactionState.Confirmed, invite.State);
        Assert.Empty(h.Handler.Acks);
    }
}
