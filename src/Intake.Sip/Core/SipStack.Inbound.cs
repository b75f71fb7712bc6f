using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;

namespace Intake.Sip.Core;

/// <summary>The receive path: parse, stamp Via, match transactions, apply the UAS core checks, reach the TU.</summary>
public sealed partial class SipStack
{
    /// <summary>
    /// Processes one inbound message (the transport's handler; tests call it directly). Never throws: malformed
    /// requests are answered statelessly when enough of them was readable, anything else is logged and dropped.
    /// </summary>
    public async ValueTask ReceiveAsync(SipInboundMessage message)
    {
        try
        {
            var result = SipParser.Parse(message.Data.Span, Options.Transport.Limits);
            if (!result.Success)
            {
                await RejectUnparsableAsync(result, message).ConfigureAwait(false);
                return;
            }

            switch (result.Message)
            {
                case SipRequest request:
                    await HandleRequestAsync(request, message.Remote, message.ConnectionId).ConfigureAwait(false);
                    break;
                case SipResponse response:
                    await HandleResponseAsync(response).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex)
        {
            StackLog.InboundFailed(_logger, message.Remote, ex);
        }
    }

    private async ValueTask RejectUnparsableAsync(SipParseResult result, SipInboundMessage message)
    {
        StackLog.Unparsable(_logger, message.Remote, result.StatusCode, result.Error);
        if (!result.IsRequest || result.PartialRequest is not { } partial || partial.Method == SipMethods.Ack) return;
        if (partial.TopVia is null || partial.CSeq is null || partial.CallId is null || partial.From is null || partial.To is null) return;
        ViaStamper.Stamp(partial, message.Remote);
        var route = ResponseRouter.Route(partial.TopVia!, message.Remote, message.ConnectionId);
        var response = SipResponse.CreateFor(partial, result.StatusCode, result.Error, partial.To.Tag is null ? SipTag.Create() : null);
        await _sink.SendAsync(response, route.Destination, route.ConnectionId).ConfigureAwait(false);
    }

    private async ValueTask HandleRequestAsync(SipRequest request, SipEndPoint remote, long connectionId)
    {
        ViaStamper.Stamp(request, remote);
        if (Transactions.FindServerTransaction(request) is { } existing)
        {
            if (await existing.OnRequestAsync(request).ConfigureAwait(false)) await HandleAckAsync(request, remote).ConfigureAwait(false);
            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            await HandleAckAsync(request, remote).ConfigureAwait(false);
            return;
        }

        var route = ResponseRouter.Route(request.TopVia!, remote, connectionId);
        var tx = Transactions.GetOrCreateServerTransaction(request, route, out var created);
        if (!created)
        {
            await tx.OnRequestAsync(request).ConfigureAwait(false);
            return;
        }

        if (request.Method == SipMethods.Cancel)
        {
            await HandleCancelAsync(tx).ConfigureAwait(false);
            return;
        }

        var (rejection, dialog) = Inspect(tx);
        if (rejection is not null)
        {
            StackLog.Rejected(_logger, request.Method, remote, rejection.StatusCode);
            await tx.SendResponseAsync(rejection).ConfigureAwait(false);
            return;
        }

        if (tx is ServerInviteTransaction) await tx.SendResponseAsync(tx.CreateResponse(100)).ConfigureAwait(false);
        try
        {
            await _handler.OnRequestAsync(tx, dialog).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StackLog.HandlerFailed(_logger, request.Method, remote, ex);
            if (!tx.HasFinalResponse) await tx.SendResponseAsync(tx.CreateResponse(500)).ConfigureAwait(false);
        }
    }

    /// <summary>The UAS core checks in RFC 3261 order (§8.2.2.2, §8.2.2.3, §12.2.2, §16.3); null rejection means pass.</summary>
    private (SipResponse? Rejection, Dialog? Dialog) Inspect(SipServerTransaction tx)
    {
        var request = tx.Request;
        if (UasRequestChecks.IsTooManyHops(request)) return (tx.CreateResponse(483), null);
        if (Transactions.IsMergedRequest(request)) return (tx.CreateResponse(482), null);
        var unsupported = UasRequestChecks.UnsupportedRequirements(request, Options.SupportedOptionTags);
        if (unsupported.Count > 0)
        {
            var response = tx.CreateResponse(420);
            response.Headers.Add("Unsupported", string.Join(", ", unsupported));
            return (response, null);
        }

        if (request.To?.Tag is null) return (null, null);
        if (Dialogs.FindForInboundRequest(request) is not { } dialog) return (tx.CreateResponse(481), null);
        if (!dialog.TryAcceptRemoteSequence(request)) return (tx.CreateResponse(500, "Server Internal Error - CSeq Out of Order"), null);
        if (request.Method is SipMethods.Invite or SipMethods.Update) dialog.RefreshRemoteTarget(request);
        return (null, dialog);
    }

    /// <summary>§9.2: 481 when the CANCEL matches nothing, else 200; a still-proceeding INVITE also gets 487.</summary>
    private async ValueTask HandleCancelAsync(SipServerTransaction cancelTx)
    {
        if (Transactions.FindInviteFor(cancelTx.Request) is not { } invite)
        {
            await cancelTx.SendResponseAsync(cancelTx.CreateResponse(481)).ConfigureAwait(false);
            return;
        }

        var ok = SipResponse.CreateFor(cancelTx.Request, 200, null, invite.LocalTag);
        await cancelTx.SendResponseAsync(ok).ConfigureAwait(false);
        if (await invite.CancelAsync().ConfigureAwait(false))
        {
            try
            {
                await _handler.OnCancelledAsync(invite).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                StackLog.HandlerFailed(_logger, SipMethods.Cancel, invite.Route.Destination, ex);
            }
        }
    }

    /// <summary>An ACK outside any INVITE transaction: the ACK for a 2xx, which belongs to the dialog (§13.3.1.4).</summary>
    private async ValueTask HandleAckAsync(SipRequest ack, SipEndPoint remote)
    {
        if (!DialogId.TryFromInboundRequest(ack, out var id))
        {
            StackLog.StrayAck(_logger, remote);
            return;
        }

        if (_retransmitters.TryGetValue(id, out var retransmitter) && ack.CSeq is { } cseq && retransmitter.Acknowledge(cseq.Number))
        {
            _retransmitters.TryRemove(new KeyValuePair<DialogId, InviteSuccessRetransmitter>(id, retransmitter));
        }

        if (!Dialogs.TryGet(id, out var dialog))
        {
            StackLog.StrayAck(_logger, remote);
            return;
        }

        try
        {
            await _handler.OnAckAsync(ack, dialog).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StackLog.HandlerFailed(_logger, SipMethods.Ack, remote, ex);
        }
    }

    private async ValueTask HandleResponseAsync(SipResponse response)
    {
        if (await Transactions.TryDispatchResponseAsync(response).ConfigureAwait(false)) return;
        if (await TryResendAckAsync(response).ConfigureAwait(false)) return;
        StackLog.StrayResponse(_logger, response.StatusCode, response.CallId);
        await NotifyStrayAsync(response).ConfigureAwait(false);
    }

    private async ValueTask OnAdditionalSuccessAsync(ClientInviteTransaction invite, SipResponse response)
    {
        if (!await TryResendAckAsync(response).ConfigureAwait(false)) await NotifyStrayAsync(response).ConfigureAwait(false);
    }

    /// <summary>§13.2.2.4: a retransmitted 2xx to an INVITE we already ACKed gets the same ACK again.</summary>
    private async ValueTask<bool> TryResendAckAsync(SipResponse response)
    {
        if (response.StatusCode is < 200 or >= 300 || response.CSeq is not { Method: SipMethods.Invite } cseq) return false;
        if (Dialogs.FindForInboundResponse(response) is not { LastAck: { } ack } dialog || ack.CSeq?.Number != cseq.Number) return false;
        await _sink.SendAsync(ack, dialog.LastAckDestination, 0).ConfigureAwait(false);
        return true;
    }

    private async ValueTask NotifyStrayAsync(SipResponse response)
    {
        try
        {
            await _handler.OnStrayResponseAsync(response).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StackLog.BackgroundFailure(_logger, "stray response handler", ex);
        }
    }
}
