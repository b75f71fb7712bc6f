using Intake.Server.Calls;
using Intake.Server.Operators;
using Intake.Sip.Core;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Server.Sip;

/// <summary>
/// The transaction user of the stack: sorts each new request to the part of the server that owns it.
/// Runs on the transport's receive path, so every branch answers or hands off quickly.
/// </summary>
public sealed class IntakeRequestHandler(CallController calls, OperatorDirectory operators) : ISipRequestHandler
{
    public void Attach(SipStack stack) => calls.Attach(stack);

    public Task StopAsync(CancellationToken cancellationToken) => calls.StopAsync(cancellationToken);

    public async ValueTask OnRequestAsync(SipServerTransaction transaction, Dialog? dialog)
    {
        var request = transaction.Request;
        if (dialog is not null)
        {
            await calls.OnInDialogRequestAsync(transaction, dialog).ConfigureAwait(false);
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Invite when transaction is ServerInviteTransaction invite:
                await calls.OnInviteAsync(invite).ConfigureAwait(false);
                break;
            case SipMethods.Register:
                await operators.OnRegisterAsync(transaction).ConfigureAwait(false);
                break;
            case SipMethods.Options:
                await transaction.SendResponseAsync(CreateOptionsResponse(transaction)).ConfigureAwait(false);
                break;
            case SipMethods.Bye or SipMethods.Info or SipMethods.Update or SipMethods.Prack:
                // Only meaningful inside a dialog; the stack already answered those with a To tag it could not match.
                await transaction.SendResponseAsync(transaction.CreateResponse(481)).ConfigureAwait(false);
                break;
            default:
                await transaction.SendResponseAsync(CreateMethodNotAllowed(transaction)).ConfigureAwait(false);
                break;
        }
    }

    public ValueTask OnCancelledAsync(ServerInviteTransaction invite) => calls.OnCancelledAsync(invite);

    public ValueTask OnAckAsync(SipRequest ack, Dialog dialog) => calls.OnAckAsync(ack, dialog);

    public ValueTask OnDialogTerminatedAsync(Dialog dialog, DialogTerminationReason reason) => calls.OnDialogTerminatedAsync(dialog, reason);

    /// <summary>RFC 3261 §11.2: what this UAS can do.</summary>
    public static SipResponse CreateOptionsResponse(SipServerTransaction transaction)
    {
        var response = transaction.CreateResponse(200);
        AddCapabilities(response);
        return response;
    }

    public static SipResponse CreateMethodNotAllowed(SipServerTransaction transaction)
    {
        var response = transaction.CreateResponse(405);
        response.Headers.Add("Allow", SipCapabilities.Allow);
        return response;
    }

    public static void AddCapabilities(SipResponse response)
    {
        response.Headers.Add("Allow", SipCapabilities.Allow);
        response.Headers.Add("Accept", SipCapabilities.Accept);
        response.Headers.Add("Supported", SipCapabilities.Supported);
    }
}
