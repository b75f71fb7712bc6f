using Intake.Sip.Messages;
using Intake.Sip.Tests.Core;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Transactions;

public sealed class SipTransactionKeyTests
{
    private static SipTransactionKey KeyOf(string text)
    {
        Assert.True(SipTransactionKey.TryCreate(SipText.ParseRequest(text), out var key));
        return key;
    }

    [Fact]
    public void TryCreate_AckForInvite_MatchesInviteKey()
    {
        Assert.Equal(KeyOf(SipText.Request()), KeyOf(SipText.Request("ACK", toTag: "x", contact: null)));
    }

    [Fact]
    public void TryCreate_CancelForInvite_IsOwnTransactionButPointsAtInvite()
    {
        var invite = KeyOf(SipText.Request());
        var cancel = KeyOf(SipText.Request("CANCEL", contact: null));

        Assert.NotEqual(invite, cancel);
        Assert.Equal(invite, cancel.ForInvite());
    }

    [Fact]
    public void TryCreate_SameBranchOtherSentBy_DiffersAndSentByIsCaseInsensitive()
    {
        Assert.NotEqual(KeyOf(SipText.Request(viaHost: "192.0.2.10")), KeyOf(SipText.Request(viaHost: "192.0.2.11")));
        Assert.Equal(KeyOf(SipText.Request(viaHost: "PBX.example.com")), KeyOf(SipText.Request(viaHost: "pbx.example.com")));
    }

    [Fact]
    public void TryCreate_Rfc2543Branch_FallsBackToDialogFields()
    {
        var first = KeyOf(SipText.Request(branch: "oldstyle1", cseq: 1));
        var retransmission = KeyOf(SipText.Request(branch: "oldstyle1", cseq: 1));
        var next = KeyOf(SipText.Request(branch: "oldstyle1", cseq: 2));

        Assert.Equal(first, retransmission);
        Assert.NotEqual(first, next);
        Assert.False(SipBranch.IsRfc3261(first.Branch));
    }

    [Fact]
    public async Task Receive_Rfc2543RetransmissionWithoutBranch_IsAbsorbed()
    {
        var h = new StackHarness();
        h.Handler.OnRequest = async (tx, _) => await tx.SendResponseAsync(tx.CreateResponse(200));
        var options = SipText.Request(SipMethods.Options, branch: "1");
        await h.InjectAsync(options);
        await h.InjectAsync(options);

        Assert.Single(h.Handler.Requests);
        Assert.Equal(2, h.Wire.Responses(200).Count);
    }

    [Fact]
    public void Create_Branch_HasMagicCookieAndIsUnique()
    {
        var a = SipBranch.Create();
        var b = SipBranch.Create();

        Assert.True(SipBranch.IsRfc3261(a));
        Assert.NotEqual(a, b);
    }
}
