using Intake.Sip.Messages;

namespace Intake.Sip.Transactions;

/// <summary>
/// Identifies a server transaction (RFC 3261 §17.2.3): branch, sent-by and method, with ACK folded onto INVITE.
/// Requests from RFC 2543 peers (no magic cookie) get a key built from Call-ID, From tag, CSeq number and the top
/// Via instead, which is enough to absorb their retransmissions.
/// </summary>
public readonly record struct SipTransactionKey(string Branch, string SentBy, string Method)
{
    public static bool TryCreate(SipRequest request, out SipTransactionKey key)
    {
        var via = request.TopVia;
        var cseq = request.CSeq;
        if (via is null || cseq is null)
        {
            key = default;
            return false;
        }

        // ACK joins its INVITE; CANCEL keeps its own method so it forms a transaction of its own.
        var method = request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method;
        var sentBy = via.SentBy.ToLowerInvariant();
        if (SipBranch.IsRfc3261(via.Branch))
        {
            key = new SipTransactionKey(via.Branch!, sentBy, method);
            return true;
        }

        var legacy = string.Join('|', "rfc2543", request.CallId, request.From?.Tag, cseq.Value.Number, via.Branch);
        key = new SipTransactionKey(legacy, sentBy, method);
        return true;
    }

    /// <summary>The key of the INVITE transaction a CANCEL or ACK with this key refers to.</summary>
    public SipTransactionKey ForInvite() => this with { Method = SipMethods.Invite };

    public override string ToString() => $"{Method} {Branch} {SentBy}";
}
