using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Dialogs;

public sealed class UacDialogTests
{
    private static readonly string[] PeerRecordRoutes = ["Record-Route: <sip:198.51.100.3;lr>, <sip:198.51.100.2;lr>", "Record-Route: <sip:198.51.100.1;lr>"];

    private static async Task<(StackHarness H, SipClientTransaction Tx, SipRequest Invite)> Invite()
    {
        var h = new StackHarness();
        var request = h.Stack.CreateRequest(SipMethods.Invite, SipUri.Parse("sip:operator@192.0.2.10"),
            new SipNameAddress(SipUri.Parse("sip:intake@127.0.0.1")), new SipNameAddress(SipUri.Parse("sip:operator@192.0.2.10")),
            SipUri.Parse("sip:intake@127.0.0.1:5060"));
        var tx = await h.Stack.SendRequestAsync(request, StackHarness.CallerUdp);
        return (h, tx, h.Wire.Sent[0].Request);
    }

    private static string Ok(SipRequest invite, IEnumerable<string>? recordRoutes = null) =>
        SipText.ResponseTo(invite, 200, "op1", [.. recordRoutes ?? [], "Contact: <sip:op@192.0.2.10:5070>"]);

    [Fact]
    public async Task CreateUacDialog_From2xx_ReversesRecordRouteAndTakesContact()
    {
        var (h, tx, invite) = await Invite();
        await h.InjectAsync(Ok(invite, PeerRecordRoutes));

        var dialog = h.Stack.CreateUacDialog(tx, await tx.FinalResponse);

        Assert.True(dialog.IsUac);
        Assert.Equal(DialogState.Confirmed, dialog.State);
        Assert.Equal(new DialogId(invite.CallId!, invite.From!.Tag!, "op1"), dialog.Id);
        Assert.Equal(["198.51.100.1", "198.51.100.2", "198.51.100.3"], dialog.RouteSet.Select(r => r.Uri.Host));
        Assert.Equal("sip:op@192.0.2.10:5070", dialog.RemoteTarget.ToString());
        Assert.Equal(invite.CSeq!.Value.Number, dialog.LocalSequenceNumber);
        Assert.Null(dialog.RemoteSequenceNumber);
    }

    [Fact]
    public async Task SendAckAsync_Success_BuildsAckWithInviteSequenceAndRouteSet()
    {
        var (h, tx, invite) = await Invite();
        await h.InjectAsync(Ok(invite, PeerRecordRoutes));
        var ok = await tx.FinalResponse;
        var dialog = h.Stack.CreateUacDialog(tx, ok);

        Assert.True(await h.Stack.SendAckAsync(dialog, ok));

        var sent = Assert.Single(h.Wire.Requests(SipMethods.Ack));
        var ack = sent.Request;
        Assert.Equal(new SipCSeq(invite.CSeq!.Value.Number, SipMethods.Ack), ack.CSeq);
        Assert.Equal("sip:op@192.0.2.10:5070", ack.RequestUri.ToString());
        Assert.Equal(["198.51.100.1", "198.51.100.2", "198.51.100.3"], ack.Routes.Select(r => r.Uri.Host));
        Assert.NotEqual(invite.TopVia!.Branch, ack.TopVia!.Branch);
        Assert.Equal("udp:198.51.100.1:5060", sent.Destination.ToString());
    }

    [Fact]
    public async Task RetransmittedSuccess_AfterAck_GetsSameAckAgain()
    {
        var (h, tx, invite) = await Invite();
        var okText = Ok(invite);
        await h.InjectAsync(okText);
        var ok = await tx.FinalResponse;
        var dialog = h.Stack.CreateUacDialog(tx, ok);
        await h.Stack.SendAckAsync(dialog, ok);

        await h.InjectAsync(okText);
        h.AdvanceMs(40_000);
        await h.InjectAsync(okText);

        var acks = h.Wire.Requests(SipMethods.Ack);
        Assert.Equal(3, acks.Count);
        Assert.All(acks, a => Assert.Equal(acks[0].Request.TopVia!.Branch, a.Request.TopVia!.Branch));
        Assert.Empty(h.Handler.StrayResponses);
    }

    [Fact]
    public async Task CreateUacDialog_EarlyThenSuccess_ConfirmsAndRecomputesRouteSet()
    {
        var (h, tx, invite) = await Invite();
        var early = SipParser.Parse(System.Text.Encoding.UTF8.GetBytes(SipText.ResponseTo(invite, 180, "op1", ["Record-Route: <sip:198.51.100.9;lr>"])));
        var dialog = h.Stack.CreateUacDialog(tx, (SipResponse)early.Message!);
        Assert.Equal(DialogState.Early, dialog.State);

        await h.InjectAsync(Ok(invite, PeerRecordRoutes));
        var confirmed = h.Stack.CreateUacDialog(tx, await tx.FinalResponse);

        Assert.Same(dialog, confirmed);
        Assert.Equal(DialogState.Confirmed, dialog.State);
        Assert.Equal(3, dialog.RouteSet.Count);
        Assert.Equal("sip:op@192.0.2.10:5070", dialog.RemoteTarget.ToString());
    }

    [Fact]
    public async Task SendInDialogAsync_Bye_IncrementsCSeqEndsDialogAndUsesRemoteTarget()
    {
        var (h, tx, invite) = await Invite();
        await h.InjectAsync(Ok(invite));
        var dialog = h.Stack.CreateUacDialog(tx, await tx.FinalResponse);

        var byeTx = await h.Stack.SendInDialogAsync(dialog, dialog.CreateRequest(SipMethods.Bye));

        var bye = Assert.Single(h.Wire.Requests(SipMethods.Bye));
        Assert.Equal(invite.CSeq!.Value.Number + 1, bye.Request.CSeq!.Value.Number);
        Assert.Equal("udp:192.0.2.10:5070", bye.Destination.ToString());
        Assert.Equal("op1", bye.Request.To!.Tag);
        Assert.Equal(DialogState.Terminated, dialog.State);
        Assert.Equal(0, h.Stack.Dialogs.Count);
        await h.InjectAsync(SipText.ResponseTo(bye.Request, 200));
        Assert.Equal(200, (await byeTx.FinalResponse).StatusCode);
    }
}
