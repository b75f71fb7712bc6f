using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;

namespace Intake.Sip.Tests.Dialogs;

public sealed class DialogTests
{
    private static readonly SipUri LocalContact = SipUri.Parse("sip:intake@127.0.0.1:5060");

    private static Dialog UasDialog(params string[] recordRoutes) =>
        Dialog.CreateUas(SipText.ParseRequest(SipText.Request(cseq: 3, extraHeaders: recordRoutes)), "local1", LocalContact);

    [Fact]
    public void CreateRequest_LooseRouteSet_RequestUriIsRemoteTargetAndRoutesInOrder()
    {
        var dialog = UasDialog("Record-Route: <sip:198.51.100.1;lr>", "Record-Route: <sip:198.51.100.2;lr>");

        var bye = dialog.CreateRequest(SipMethods.Bye);

        Assert.Equal("sip:caller@192.0.2.10:5060", bye.RequestUri.ToString());
        Assert.Equal(["198.51.100.1", "198.51.100.2"], bye.Routes.Select(r => r.Uri.Host));
        Assert.Equal("local1", bye.From!.Tag);
        Assert.Equal("caller1", bye.To!.Tag);
        Assert.Equal("call-1@192.0.2.10", bye.CallId);
        Assert.Equal(70, bye.MaxForwards);
        Assert.Empty(bye.Contacts);
    }

    [Fact]
    public void CreateRequest_StrictRoute_FirstRouteBecomesRequestUriAndRemoteTargetLastRoute()
    {
        var dialog = UasDialog("Record-Route: <sip:198.51.100.1>", "Record-Route: <sip:198.51.100.2;lr>");

        var info = dialog.CreateRequest(SipMethods.Info);

        Assert.Equal("sip:198.51.100.1", info.RequestUri.ToString());
        Assert.Equal(["198.51.100.2", "192.0.2.10"], info.Routes.Select(r => r.Uri.Host));
    }

    [Fact]
    public void CreateRequest_Successive_IncrementLocalSequence()
    {
        var dialog = UasDialog();

        var first = dialog.CreateRequest(SipMethods.Options);
        var second = dialog.CreateRequest(SipMethods.Invite);

        Assert.Equal(first.CSeq!.Value.Number + 1, second.CSeq!.Value.Number);
        Assert.Equal(second.CSeq.Value.Number, dialog.LocalSequenceNumber);
        Assert.Equal(LocalContact, second.Contacts.Single().Uri);
    }

    [Fact]
    public void CreateRequest_WithBody_SetsContentType()
    {
        var dialog = UasDialog();
        var reinvite = dialog.CreateRequest(SipMethods.Invite, "v=0\r\n"u8.ToArray(), "application/sdp");

        Assert.Equal("application/sdp", reinvite.ContentType);
        Assert.Equal(5, reinvite.Body.Length);
    }

    [Fact]
    public void CreateRequest_Ack_IsRefused()
    {
        var dialog = UasDialog();

        Assert.Throws<ArgumentException>(() => dialog.CreateRequest(SipMethods.Ack));
    }

    [Fact]
    public void CreateAck_UsesInviteSequenceWithoutConsumingOne()
    {
        var dialog = UasDialog();
        var before = dialog.LocalSequenceNumber;

        var ack = dialog.CreateAck(41);

        Assert.Equal(new SipCSeq(41, SipMethods.Ack), ack.CSeq);
        Assert.Equal(before, dialog.LocalSequenceNumber);
    }

    [Fact]
    public void TryAcceptRemoteSequence_LowerRejectedEqualAndHigherAccepted()
    {
        var dialog = UasDialog();

        Assert.False(dialog.TryAcceptRemoteSequence(SipText.ParseRequest(SipText.Request("INFO", cseq: 2))));
        Assert.True(dialog.TryAcceptRemoteSequence(SipText.ParseRequest(SipText.Request("ACK", cseq: 3))));
        Assert.True(dialog.TryAcceptRemoteSequence(SipText.ParseRequest(SipText.Request("INFO", cseq: 9))));
        Assert.Equal(9u, dialog.RemoteSequenceNumber);
    }

    [Fact]
    public void Create_Tag_IsRandomWithAtLeast32Bits()
    {
        var tags = Enumerable.Range(0, 100).Select(_ => SipTag.Create()).ToHashSet();

        Assert.Equal(100, tags.Count);
        Assert.All(tags, t => Assert.True(t.Length >= 8));
    }

    [Fact]
    public void Remove_StoredDialog_TerminatesAndForgets()
    {
        var store = new DialogStore();
        var dialog = store.GetOrAdd(UasDialog());

        Assert.True(store.TryGet(dialog.Id, out _));
        Assert.True(store.Remove(dialog));
        Assert.False(store.TryGet(dialog.Id, out _));
        Assert.Equal(DialogState.Terminated, dialog.State);
    }
}
