using Intake.Media.Sdp;
using Intake.Server.Sip;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Server.Calls;

/// <summary>Requests the operator's phone (or the overflow centre) sends inside Intake's dialog with it.</summary>
public sealed partial class CallController
{
    private async ValueTask OnOperatorLegRequestAsync(SipServerTransaction transaction, Dialog dialog, OperatorLeg leg)
    {
        var request = transaction.Request;
        switch (request.Method)
        {
            case SipMethods.Bye:
                await transaction.SendResponseAsync(dialog.CreateResponse(request, 200)).ConfigureAwait(false);
                if (leg.TryEnd(OperatorLegState.Ended) && ReferenceEquals(leg.Call.BridgedLeg, leg))
                {
                    // The operator hung up: the caller's call ends with it.
                    EndInBackground(leg.Call, "operator hung up", sendBye: true);
                }

                break;
            case SipMethods.Invite or SipMethods.Update:
                await OnOperatorReofferAsync(transaction, dialog, leg).ConfigureAwait(false);
                break;
            default:
                await AnswerOtherInDialogAsync(transaction, dialog).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>INFO and OPTIONS are answered alike on both legs; other methods are not allowed in a call.</summary>
    private static async ValueTask AnswerOtherInDialogAsync(SipServerTransaction transaction, Dialog dialog)
    {
        var request = transaction.Request;
        var response = request.Method switch
        {
            SipMethods.Info => dialog.CreateResponse(request, 200),
            SipMethods.Options => dialog.CreateResponse(request, 200),
            _ => dialog.CreateResponse(request, 405),
        };
        if (request.Method == SipMethods.Options)
        {
            IntakeRequestHandler.AddCapabilities(response);
        }
        else if (response.StatusCode == 405)
        {
            response.Headers.Add("Allow", SipCapabilities.Allow);
        }

        await transaction.SendResponseAsync(response).ConfigureAwait(false);
    }

    /// <summary>Hold (sendonly/inactive) and resume from the operator: the caller hears the hold reminder meanwhile.</summary>
    private async ValueTask OnOperatorReofferAsync(SipServerTransaction transaction, Dialog dialog, OperatorLeg leg)
    {
        var request = transaction.Request;
        var offerBytes = SdpBody.Find(request);
        if (offerBytes.IsEmpty || leg.Media is not { } session)
        {
            var ok = dialog.CreateResponse(request, 200);
            if (leg.LocalSdp is { } current && request.Method == SipMethods.Invite)
            {
                SetSdp(ok, current);
            }

            await transaction.SendResponseAsync(ok).ConfigureAwait(false);
            return;
        }

        var parsed = SdpParser.Parse(offerBytes.Span);
        var previous = leg.LocalSdp!;
        var local = media.DescribeLocal(session.LocalPort, previous.Origin.SessionId, previous.Origin.SessionVersion + 1);
        var negotiation = parsed.Success ? SdpNegotiator.CreateAnswer(parsed.Description!, local) : null;
        if (negotiation is not { Success: true })
        {
            var refusal = dialog.CreateResponse(request, 488);
            refusal.Headers.Add("Warning", negotiation?.FormatWarning(Agent) ?? $"399 {Agent} \"{parsed.Error}\"");
            await transaction.SendResponseAsync(refusal).ConfigureAwait(false);
            return;
        }

        leg.LocalSdp = negotiation.Answer!;
        leg.Audio = negotiation.Audio;
        var answer = dialog.CreateResponse(request, 200);
        IntakeRequestHandler.AddCapabilities(answer);
        SetSdp(answer, negotiation.Answer!);
        await transaction.SendResponseAsync(answer).ConfigureAwait(false);
        // RFC 3264 §8.4: the holder offers sendonly or inactive, i.e. stops receiving; it may still send music.
        bridge.SetOperatorHold(leg.Call, leg, onHold: !negotiation.Audio!.RemoteDirection.Receives());
    }
}
