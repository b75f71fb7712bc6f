using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Dialogs;

public sealed class UasDialogTests
{
    private static readonly string[] RecordRoutes = ["Record-Route: <sip:198.51.100.1;lr>, <sip:198.51.100.2;lr>", "Record-Route: <sip:198.51.100.3;lr>"];

    private static async Task<(StackHarness H, SipServerTransaction Tx, Dialog Dialog)> AnsweredCall(bool withRecordRoute = false, uint cseq = 1)
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request(cseq: cseq, extraHeaders: withRecordRoute ? RecordRoutes : null));
        var tx = h.Handler.Requests[0].Transaction;
        var dialog = h.Stack.CreateUasDialog(tx);
        await tx.SendResponseAsync(dialog.CreateResponse(tx.Request, 200));
        return (h, tx, dialog);
    }

    [Fact]
    public async Task CreateUasDialog_FromInvite_TakesRouteSetInOrderRemoteTargetAndSequence()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request(cseq: 7, extraHeaders: RecordRoutes));
        var tx = h.Handler.Requests[0].Transaction;

        var dialog = h.Stack.CreateUasDialog(tx);

        Assert.False(dialog.IsUac);
        Assert.Equal(DialogState.Early, dialog.State);
        Assert.Equal(new DialogId("call-1@192.0.2.10", tx.LocalTag, "caller1"), dialog.Id);
        Assert.Equal(["198.51.100.1", "198.51.100.2", "198.51.100.3"], dialog.RouteSet.Select(r => r.Uri.Host));
        Assert.Equal("sip:caller@192.0.2.10:5060", dialog.RemoteTarget.ToString());
        Assert.Equal(7u, dialog.RemoteSequenceNumber);
        Assert.Null(dialog.LocalUri.Tag);
        Assert.Same(dialog, h.Stack.Dialogs.FindForInboundRequest(SipText.ParseRequest(SipText.Request("BYE", toTag: tx.LocalTag))));
    }

    [Fact]
    public async Task CreateResponse_Success_CarriesTagRecordRouteAndContact()
    {
        var (h, _, dialog) = await AnsweredCall(withRecordRoute: true);

        var ok = Assert.Single(h.Wire.Responses(200)).Response;
        Assert.Equal(dialog.Id.LocalTag, ok.To!.Tag);
        Assert.Equal(3, ok.RecordRoutes.Count);
        Assert.Equal("sip:127.0.0.1:5060", ok.Contacts.Single().Uri.ToString());
        Assert.Equal(DialogState.Confirmed, dialog.State);
    }

    [Fact]
    public async Task SuccessRetransmission_UntilAck_DoublesToT2ThenStops()
    {
        var (h, _, dialog) = await AnsweredCall();
        h.AdvanceMs(12_000);
        await h.InjectAsync(SipText.Request("ACK", branch: "z9hG4bKack1", toTag: dialog.Id.LocalTag, contact: null));
        h.AdvanceMs(30_000);

        var times = h.Wire.Responses(200).Select(m => m.At.TotalMilliseconds).ToArray();
        Assert.Equal([0, 500, 1500, 3500, 7500, 11500], times);
        var (ack, ackDialog) = Assert.Single(h.Handler.Acks);
        Assert.Same(dialog, ackDialog);
        Assert.Equal(SipMethods.Ack, ack.Method);
        Assert.Empty(h.Wire.Requests(SipMethods.Bye));
        Assert.Empty(h.Handler.Terminated);
    }

    [Fact]
    public async Task SuccessRetransmission_NoAck_TellsTuAndSendsByeAfter64T1()
    {
        var (h, _, dialog) = await AnsweredCall();

        h.AdvanceMs(31_990);
        Assert.Empty(h.Wire.Requests(SipMethods.Bye));
        h.AdvanceMs(10);

        Assert.Equal(11, h.Wire.Responses(200).Count);
        var (ended, reason) = Assert.Single(h.Handler.Terminated);
        Assert.Same(dialog, ended);
        Assert.Equal(DialogTerminationReason.AckTimeout, reason);
        var bye = Assert.Single(h.Wire.Requests(SipMethods.Bye));
        Assert.Equal("sip:caller@192.0.2.10:5060", bye.Request.RequestUri.ToString());
        Assert.Equal("udp:192.0.2.10:5060", bye.Destination.ToString());
        Assert.Equal(dialog.Id.LocalTag, bye.Request.From!.Tag);
        Assert.Equal("caller1", bye.Request.To!.Tag);
        Assert.Equal(0, h.Stack.Dialogs.Count);
    }

    [Fact]
    public async Task Receive_InDialogRequestForUnknownDialog_Gets481()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request("BYE", toTag: "nosuchdialog", cseq: 2));

        Assert.True(Assert.Single(h.Wire.Sent).IsResponse(481));
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task Receive_InDialogRequestWithLowerCSeq_Gets500()
    {
        var (h, _, dialog) = await AnsweredCall(cseq: 5);
        await h.InjectAsync(SipText.Request("INFO", branch: "z9hG4bKinfo1", toTag: dialog.Id.LocalTag, cseq: 4));

        var rejection = Assert.Single(h.Wire.Responses(500));
        Assert.Equal(SipMethods.Info, rejection.Response.CSeq!.Value.Method);
        Assert.Single(h.Handler.Requests);
        Assert.Equal(5u, dialog.RemoteSequenceNumber);
    }

    [Fact]
    public async Task Receive_InDialogRequestWithHigherCSeq_ReachesTuWithDialog()
    {
        var (h, _, dialog) = await AnsweredCall(cseq: 5);
        await h.InjectAsync(SipText.Request("INFO", branch: "z9hG4bKinfo2", toTag: dialog.Id.LocalTag, cseq: 6));

        Assert.Equal(2, h.Handler.Requests.Count);
        Assert.Same(dialog, h.Handler.Requests[1].Dialog);
        Assert.Equal(6u, dialog.RemoteSequenceNumber);
    }

    [Fact]
    public async Task Receive_ReInviteWithNewContact_RefreshesRemoteTarget()
    {
        var (h, _, dialog) = await AnsweredCall();
        await h.InjectAsync(SipText.Request(branch: "z9hG4bKreinv", toTag: dialog.Id.LocalTag, cseq: 2, contact: "<sip:caller@192.0.2.77:5090>"));

        Assert.Equal("sip:caller@192.0.2.77:5090", dialog.RemoteTarget.ToString());
        Assert.Same(dialog, h.Handler.Requests[1].Dialog);
    }

    [Fact]
    public async Task Receive_InfoWithNewContact_DoesNotRefreshRemoteTarget()
    {
        var (h, _, dialog) = await AnsweredCall();
        await h.InjectAsync(SipText.Request("INFO", branch: "z9hG4bKinfo3", toTag: dialog.Id.LocalTag, cseq: 2, contact: "<sip:caller@192.0.2.77:5090>"));

        Assert.Equal("sip:caller@192.0.2.10:5060", dialog.RemoteTarget.ToString());
    }

    [Fact]
    public async Task Receive_ByeAnswered200_RemovesDialog()
    {
        var (h, _, dialog) = await AnsweredCall();
        h.Handler.OnRequest = async (tx, _) => await tx.SendResponseAsync(tx.CreateResponse(200));
        await h.InjectAsync(SipText.Request("BYE", branch: "z9hG4bKbye1", toTag: dialog.Id.LocalTag, cseq: 2));

        Assert.Equal(0, h.Stack.Dialogs.Count);
        Assert.Equal(DialogState.Terminated, dialog.State);
    }

    [Fact]
    public async Task Cancel_EarlyDialog_IsRemoved()
    {
        var h = new StackHarness();
        await h.InjectAsync(SipText.Request());
        var tx = h.Handler.Requests[0].Transaction;
        var dialog = h.Stack.CreateUasDialog(tx);
        await tx.SendResponseAsync(dialog.CreateResponse(tx.Request, 180));

        await h.InjectAsync(SipText.Request("CANCEL", contact: null));

        Assert.Equal(0, h.Stack.Dialogs.Count);
        Assert.Equal(DialogState.Terminated, dialog.State);
    }

    [Fact]
    public async Task TerminateAllDialogsAsync_ConfirmedDialog_SendsByeAndWaitsForAnswer()
    {
        var (h, _, dialog) = await AnsweredCall();
        await h.InjectAsync(SipText.Request("ACK", branch: "z9hG4bKack9", toTag: dialog.Id.LocalTag, contact: null));

        var shutdown = h.Stack.TerminateAllDialogsAsync(CancellationToken.None);
        var bye = Assert.Single(h.Wire.Requests(SipMethods.Bye)).Request;
        Assert.False(shutdown.IsCompleted);
        await h.InjectAsync(SipText.ResponseTo(bye, 200));

        Assert.Equal(1, await shutdown.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, h.Stack.Dialogs.Count);
    }
}
