using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Sip.Core;

/// <summary>
/// The transaction user (TU) of a <see cref="SipStack"/>. Calls arrive on the transport's receive path, so
/// implementations should return quickly and move long work elsewhere; an exception is logged and, if the
/// request has no final response yet, answered with 500.
/// </summary>
public interface ISipRequestHandler
{
    /// <summary>
    /// A new request (never a retransmission, ACK or CANCEL) that passed the stack's checks (483, 482, 420, and for
    /// requests with a To tag 481 and 500). Answer through <paramref name="transaction"/>; an INVITE already got 100.
    /// </summary>
    /// <param name="dialog">The dialog of an in-dialog request; null for a dialog-creating or out-of-dialog one.</param>
    ValueTask OnRequestAsync(SipServerTransaction transaction, Dialog? dialog);

    /// <summary>A CANCEL ended this INVITE with 487 (§9.2); stop working on it.</summary>
    ValueTask OnCancelledAsync(ServerInviteTransaction invite) => ValueTask.CompletedTask;

    /// <summary>The ACK for a 2xx arrived (2xx retransmission has stopped); it may carry the SDP answer.</summary>
    ValueTask OnAckAsync(SipRequest ack, Dialog dialog) => ValueTask.CompletedTask;

    /// <summary>The stack ended a dialog on its own (for example §13.3.1.4: no ACK for the 2xx, BYE sent).</summary>
    ValueTask OnDialogTerminatedAsync(Dialog dialog, DialogTerminationReason reason) => ValueTask.CompletedTask;

    /// <summary>A response that matched no client transaction and no dialog ACK (for example a forked 2xx).</summary>
    ValueTask OnStrayResponseAsync(SipResponse response) => ValueTask.CompletedTask;
}
