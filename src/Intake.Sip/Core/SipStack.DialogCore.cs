using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Sip.Core;

/// <summary>Dialog bookkeeping driven by the responses the TU sends: confirm, end, and 2xx reliability (§13.3.1.4).</summary>
public sealed partial class SipStack
{
    private ValueTask OnFinalResponseSentAsync(SipServerTransaction tx, SipResponse response)
    {
        var method = tx.Request.Method;
        var success = response.StatusCode is >= 200 and < 300;
        if (!DialogId.TryFromOutboundResponse(response, out var id)) return ValueTask.CompletedTask;
        Dialogs.TryGet(id, out var dialog);
        if (method == SipMethods.Invite)
        {
            if (success)
            {
                dialog?.Confirm();
                StartSuccessRetransmission(id, tx, response);
            }
            else if (dialog is { State: DialogState.Early })
            {
                // The dialog-creating INVITE failed (or was cancelled): the early dialog ends with it.
                EndDialog(dialog);
            }
        }
        else if (method == SipMethods.Bye && success && dialog is not null)
        {
            EndDialog(dialog);
        }

        return ValueTask.CompletedTask;
    }

    private void StartSuccessRetransmission(DialogId id, SipServerTransaction tx, SipResponse response)
    {
        // The TU re-sending its own 2xx through the Accepted transaction must not restart the schedule.
        if (_retransmitters.TryGetValue(id, out var running) && running.InviteSequence == response.CSeq?.Number) return;
        var retransmitter = new InviteSuccessRetransmitter(id, response, tx.Route, _sink, Options.Timers, _time, OnAckTimeoutAsync, _logger);
        var previous = _retransmitters.GetOrAdd(id, retransmitter);
        if (!ReferenceEquals(previous, retransmitter))
        {
            // A newer INVITE of the same dialog was answered; only its 2xx still needs an ACK.
            previous.Dispose();
            _retransmitters[id] = retransmitter;
        }

        retransmitter.Start();
    }

    private async ValueTask OnAckTimeoutAsync(InviteSuccessRetransmitter retransmitter)
    {
        _retransmitters.TryRemove(new KeyValuePair<DialogId, InviteSuccessRetransmitter>(retransmitter.DialogId, retransmitter));
        if (!Dialogs.TryGet(retransmitter.DialogId, out var dialog)) return;
        StackLog.AckTimeout(_logger, dialog.Id.ToString());
        try
        {
            await _handler.OnDialogTerminatedAsync(dialog, DialogTerminationReason.AckTimeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StackLog.BackgroundFailure(_logger, "dialog terminated handler", ex);
        }

        await SendInDialogAsync(dialog, dialog.CreateRequest(SipMethods.Bye)).ConfigureAwait(false);
    }
}
