using Intake.Sip.Core;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Sip.Tests.Core;

/// <summary>A TU that records every callback and optionally answers requests with a fixed behaviour.</summary>
internal sealed class RecordingRequestHandler : ISipRequestHandler
{
    public List<(SipServerTransaction Transaction, Dialog? Dialog)> Requests { get; } = [];

    public List<ServerInviteTransaction> Cancelled { get; } = [];

    public List<(SipRequest Ack, Dialog Dialog)> Acks { get; } = [];

    public List<(Dialog Dialog, DialogTerminationReason Reason)> Terminated { get; } = [];

    public List<SipResponse> StrayResponses { get; } = [];

    /// <summary>Runs for each new request; null leaves it unanswered.</summary>
    public Func<SipServerTransaction, Dialog?, ValueTask>? OnRequest { get; set; }

    public async ValueTask OnRequestAsync(SipServerTransaction transaction, Dialog? dialog)
    {
        Requests.Add((transaction, dialog));
        if (OnRequest is { } respond) await respond(transaction, dialog);
    }

    public ValueTask OnCancelledAsync(ServerInviteTransaction invite)
    {
        Cancelled.Add(invite);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnAckAsync(SipRequest ack, Dialog dialog)
    {
        Acks.Add((ack, dialog));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnDialogTerminatedAsync(Dialog dialog, DialogTerminationReason reason)
    {
        Terminated.Add((dialog, reason));
        return ValueTask.CompletedTask;
    }

    public ValueTask OnStrayResponseAsync(SipResponse response)
    {
        StrayResponses.Add(response);
        return ValueTask.CompletedTask;
    }
}
