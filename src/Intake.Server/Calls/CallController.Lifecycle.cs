using Intake.Media.Sdp;
using Intake.Server.Sip;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Server.Calls;

public sealed partial class CallController
{
    /// <summary>re-INVITE or UPDATE (RFC 3311) from the caller: hold, resume, or a new address after a network change.</summary>
    private async ValueTask OnSessionModificationAsync(SipServerTransaction transaction, Dialog dialog, EmergencyCall call)
    {
        var request = transaction.Request;
        var offerBytes = SdpBody.Find(request);
        var previous = call.LocalSdp!;
        var local = media.DescribeLocal(call.RtpPort, previous.Origin.SessionId, previous.Origin.SessionVersion + 1);
        SdpSessionDescription answer;
        if (offerBytes.IsEmpty)
        {
            if (request.Method == SipMethods.Update)
            {
                // An UPDATE without SDP only refreshes the dialog.
                await transaction.SendResponseAsync(dialog.CreateResponse(request, 200)).ConfigureAwait(false);
                return;
            }

            // A re-INVITE without SDP asks us to offer; the answer comes in the ACK.
            answer = SdpNegotiator.CreateOffer(local);
            call.AwaitingAnswerInAck = true;
        }
        else
        {
            var parsed = SdpParser.Parse(offerBytes.Span);
            var negotiation = parsed.Success ? SdpNegotiator.CreateAnswer(parsed.Description!, local) : null;
            if (negotiation is not { Success: true })
            {
                // RFC 3261 §14.2: a refused re-offer leaves the session as it was.
                var refusal = dialog.CreateResponse(request, 488);
                var warning = negotiation?.FormatWarning(Agent) ?? $"399 {Agent} \"{parsed.Error}\"";
                refusal.Headers.Add("Warning", warning);
                await transaction.SendResponseAsync(refusal).ConfigureAwait(false);
                return;
            }

            answer = negotiation.Answer!;
            call.Audio = negotiation.Audio;
        }

        // An unchanged answer keeps its version (RFC 3264 §8).
        var bumped = answer.Origin;
        answer.Origin = bumped with { SessionVersion = previous.Origin.SessionVersion };
        if (answer.ToString() != previous.ToString())
        {
            answer.Origin = bumped;
        }

        call.LocalSdp = answer;
        var ok = dialog.CreateResponse(request, 200);
        IntakeRequestHandler.AddCapabilities(ok);
        SetSdp(ok, answer);
        await transaction.SendResponseAsync(ok).ConfigureAwait(false);
        if (!call.AwaitingAnswerInAck)
        {
            await media.OnMediaChangedAsync(call).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends a call once, whoever asks first: the operator side (CANCEL ringing legs, BYE the bridged one), the caller
    /// side when we hang up, the ACD, media and recording, then the ended and recording events.
    /// </summary>
    public async ValueTask EndAsync(EmergencyCall call, string reason, bool sendBye)
    {
        if (!call.TryMarkEnded())
        {
            return;
        }

        call.EndedAt = time.GetUtcNow();
        call.HungUpBy ??= reason switch
        {
            "caller hung up" or "cancelled by caller" => "caller",
            "operator hung up" => call.BridgedLeg is { IsOverflow: true } ? "remote-centre" : "operator",
            _ => "server",
        };
        if (reason == "media-timeout")
        {
            call.Outcome = "media-timeout";
        }

        // Out of the tables before the first await: the call stops counting against Intake:MaxConcurrentCalls the
        // moment it ends, so a new call right behind its BYE (handled by another worker) finds the place free.
        _byDialog.TryRemove(call.Dialog.Id, out _);
        _byInvite.TryRemove(call.Invite, out _);
        await call.Lifetime.CancelAsync().ConfigureAwait(false);
        ServerLog.CallEnded(logger, call.Id, reason);

        // The ACD first: it cancels the offers it made and frees the operator for wrap-up.
        var acdHeldCall = acd.CallerLeft(call.Id) == Intake.Acd.AcdResult.Ok;
        // Not awaited: a CANCEL waits for the phone's first response, so a phone that has gone silent would hold the
        // caller's end (BYE, recording, ended event) for two transaction timeouts. Tracked, so a shutdown still waits.
        foreach (var ringing in call.RingingLegs.Values.ToList())
        {
            Track(CancelLegAsync(ringing));
        }

        try
        {
            if (call.BridgedLeg is { Dialog: { } operatorDialog } bridged && bridged.TryEnd(OperatorLegState.Ended))
            {
                await Stack.SendInDialogAsync(operatorDialog, operatorDialog.CreateRequest(SipMethods.Bye)).ConfigureAwait(false);
            }

            if (sendBye && call.Dialog.State == DialogState.Confirmed)
            {
                await Stack.SendInDialogAsync(call.Dialog, call.Dialog.CreateRequest(SipMethods.Bye)).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            ServerLog.CallStepFailed(logger, call.Id, "BYE", ex);
        }
        finally
        {
            call.OperatorQuality = await bridge.EndAsync(call).ConfigureAwait(false);
            await media.OnEndedAsync(call).ConfigureAwait(false);
            if (call.Dialog.State != DialogState.Terminated && _stack is not null)
            {
                _stack.EndDialog(call.Dialog);
            }

            if (acdHeldCall)
            {
                await WaitForAcdReleaseAsync(call).ConfigureAwait(false);
            }

            _byId.TryRemove(call.Id, out _);
            PublishEnd(call);
        }
    }

    /// <summary>
    /// The decision loop publishes the abandoned event; dispatch must see it before the ended one. Bounded in real time:
    /// a stalled decision loop must not hold a call's end (and its recording event) forever.
    /// </summary>
    private async ValueTask WaitForAcdReleaseAsync(EmergencyCall call)
    {
        try
        {
            await call.AcdReleased.Task.WaitAsync(AcdReleaseTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ServerLog.CallStepFailed(logger, call.Id, "ACD release", new TimeoutException("the ACD's last decision about the call was not carried out in time"));
        }
    }

    private static readonly TimeSpan AcdReleaseTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Ends a call off the SIP receive path: closing the recording (flush, SHA-256) and storing its metadata take
    /// milliseconds to seconds, and the transport reads the next message only when the handler returns.
    /// </summary>
    private void EndInBackground(EmergencyCall call, string reason, bool sendBye) =>
        Track(EndSafelyAsync(call, reason, sendBye));

    private async Task EndSafelyAsync(EmergencyCall call, string reason, bool sendBye)
    {
        try
        {
            await EndAsync(call, reason, sendBye).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ServerLog.CallStepFailed(logger, call.Id, "end", ex);
        }
    }

    /// <summary>Host shutdown: calls still up are ended cleanly with a BYE on both legs.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var call in _byDialog.Values.ToList())
        {
            await EndAsync(call, "server stopping", sendBye: true).ConfigureAwait(false);
        }

        await Task.WhenAll(_pendingAnswers.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(_legTasks.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
