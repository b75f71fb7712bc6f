using System.Collections.Concurrent;
using System.Net;
using Intake.Acd.Engine;
using Intake.Contracts.V1;
using Intake.Media.Sdp;
using Intake.Server.Callers;
using Intake.Server.Operators;
using Intake.Server.Configuration;
using Intake.Server.Observability;
using Intake.Server.Security;
using Intake.Server.Sip;
using Intake.Sip.Core;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Calls;

/// <summary>
/// Call control for the caller leg: answers emergency INVITEs at once, keeps each call's dialog and media agreement,
/// and ends calls on BYE, CANCEL or a missing ACK.
/// </summary>
public sealed partial class CallController(
    IntakeConfiguration config,
    CallMedia media,
    BridgeMedia bridge,
    AcdEngine acd,
    CallEventLog events,
    OperatorDirectory operators,
    TrunkAcl trunks,
    IntakeMetrics metrics,
    TimeProvider time,
    ILogger<CallController> logger)
{
    private readonly NumberPlan _numbers = new(config.Queues);
    private readonly ConcurrentDictionary<DialogId, EmergencyCall> _byDialog = new();
    private int _reserved;
    private readonly ConcurrentDictionary<ServerInviteTransaction, EmergencyCall> _byInvite = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<EmergencyCall, Task> _pendingAnswers = new(ReferenceEqualityComparer.Instance);
    private SipStack? _stack;

    public int ActiveCalls => _byDialog.Count;

    /// <summary>Quality figures of every open RTP session (caller legs and bridged operator legs), read at scrape time.</summary>
    public IEnumerable<Intake.Media.Rtp.RtpQualitySnapshot> OpenRtpSessions()
    {
        foreach (var call in _byId.Values)
        {
            if (call.Media is { } caller)
            {
                yield return caller.Session.GetQualitySnapshot();
            }

            if (call.BridgedLeg?.Media is { } @operator)
            {
                yield return @operator.GetQualitySnapshot();
            }
        }
    }

    private SipStack Stack => _stack ?? throw new InvalidOperationException("the SIP stack is not attached");

    public void Attach(SipStack stack)
    {
        _stack = stack;
        media.MediaTimedOut += OnMediaTimedOut;
        media.DtmfReceived += PublishDtmf;
    }

    public async ValueTask OnInviteAsync(ServerInviteTransaction invite)
    {
        var request = invite.Request;
        var source = invite.Route.Destination.ToString();
        if (FeatureCode.TryParse(request.RequestUri) is { } featureCode)
        {
            await OnFeatureCodeAsync(invite, featureCode).ConfigureAwait(false);
            return;
        }

        if (await AdmitSourceAsync(invite, source).ConfigureAwait(false) is not { } trunk)
        {
            return;
        }

        if (!_numbers.TryFind(request.RequestUri, out var queue, out var number))
        {
            ServerLog.UnservedNumber(logger, number, source);
            await invite.SendResponseAsync(invite.CreateResponse(404)).ConfigureAwait(false);
            return;
        }

        // INVITEs of different calls are handled in parallel: a place is reserved at the capacity check and held until
        // the call is in the table, so two of them cannot both take the last place.
        var reserved = false;
        try
        {
            (var room, reserved) = await HasRoomAsync(invite, queue, number, source).ConfigureAwait(false);
            if (!room)
            {
                return;
            }

            var offerBytes = SdpBody.Find(request);
            SdpSessionDescription? offer = null;
            if (!offerBytes.IsEmpty)
            {
                var parsed = SdpParser.Parse(offerBytes.Span);
                if (!parsed.Success)
                {
                    await RejectAsync(invite, 400, "Bad Request - Invalid SDP", $"399 {Agent} \"{parsed.Error}\"").ConfigureAwait(false);
                    return;
                }

                offer = parsed.Description!;
            }

            if (!media.TryOpenCallerLeg(out var leg))
            {
                // Never a busy tone by choice: only an exhausted port range gets here, and the trunk then tries elsewhere.
                var busy = invite.CreateResponse(503);
                busy.Headers.Add("Retry-After", "5");
                await invite.SendResponseAsync(busy).ConfigureAwait(false);
                return;
            }

            var local = media.DescribeLocal(leg!.LocalPort, SessionIdFor(request));
            SdpSessionDescription localSdp;
            NegotiatedAudio? audio = null;
            if (offer is not null)
            {
                var negotiation = SdpNegotiator.CreateAnswer(offer, local);
                if (!negotiation.Success)
                {
                    await leg.DisposeAsync().ConfigureAwait(false);
                    ServerLog.NotAcceptable(logger, request.CallId ?? "", source, negotiation.WarningText ?? "no common codec");
                    await RejectAsync(invite, negotiation.StatusCode, null, negotiation.FormatWarning(Agent)).ConfigureAwait(false);
                    return;
                }

                localSdp = negotiation.Answer!;
                audio = negotiation.Audio;
            }
            else
            {
                localSdp = SdpNegotiator.CreateOffer(local);
            }

            var dialog = Stack.CreateUasDialog(invite);
            var call = new EmergencyCall(NewCallId(), invite, dialog, queue, number, time.GetUtcNow())
            {
                LocalSdp = localSdp,
                Audio = audio,
                AwaitingAnswerInAck = offer is null,
                RtpPort = leg.LocalPort,
                Media = leg,
                Trunk = trunk,
            };
            dialog.UserState = call;
            _byDialog[dialog.Id] = call;
            if (reserved)
            {
                reserved = false;
                Interlocked.Decrement(ref _reserved);
            }

            _byInvite[invite] = call;
            _byId[call.Id] = call;
            PublishOffered(call, request, source);
            metrics.CallReceived(trunk);
            ServerLog.CallOffered(logger, call.Id, call.CallerNumber, number, queue.Name, source);

            await invite.SendResponseAsync(dialog.CreateResponse(request, 180)).ConfigureAwait(false);
            var delay = TimeSpan.FromMilliseconds(config.Sip.AnswerDelayMilliseconds);
            if (delay <= TimeSpan.Zero)
            {
                await AnswerAsync(call).ConfigureAwait(false);
                return;
            }

            _pendingAnswers[call] = AnswerAfterAsync(call, delay);
        }
        finally
        {
            if (reserved)
            {
                Interlocked.Decrement(ref _reserved);
            }
        }
    }

    private async Task AnswerAfterAsync(EmergencyCall call, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, time, call.Lifetime.Token).ConfigureAwait(false);
            await AnswerAsync(call).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The caller cancelled or the server is stopping; the call's end path cleans up.
        }
        catch (Exception ex)
        {
            ServerLog.CallStepFailed(logger, call.Id, "answer", ex);
        }
        finally
        {
            _pendingAnswers.TryRemove(call, out _);
        }
    }

    private async ValueTask AnswerAsync(EmergencyCall call)
    {
        var ok = call.Dialog.CreateResponse(call.Invite.Request, 200);
        IntakeRequestHandler.AddCapabilities(ok);
        SetSdp(ok, call.LocalSdp!);
        if (await call.Invite.SendResponseAsync(ok).ConfigureAwait(false))
        {
            call.AnsweredAt = time.GetUtcNow();
            ServerLog.CallAnswered(logger, call.Id);
            await media.OnAnsweredAsync(call).ConfigureAwait(false);

            // Answered and recorded: now the call waits for an operator.
            var result = acd.CallArrived(call.Id, call.DialledNumber, call.CallerNumber, call.ArrivedAt);
            if (result != Intake.Acd.AcdResult.Ok)
            {
                ServerLog.AcdRefused(logger, call.Id, result.ToString());
            }
        }
    }

    public async ValueTask OnCancelledAsync(ServerInviteTransaction invite)
    {
        if (_byInvite.TryGetValue(invite, out var call))
        {
            EndInBackground(call, "cancelled by caller", sendBye: false);
        }
    }

    public async ValueTask OnAckAsync(SipRequest ack, Dialog dialog)
    {
        if (dialog.UserState is not EmergencyCall call || !call.AwaitingAnswerInAck)
        {
            return;
        }

        call.AwaitingAnswerInAck = false;
        var answerBytes = SdpBody.Find(ack);
        var parsed = answerBytes.IsEmpty ? null : SdpParser.Parse(answerBytes.Span);
        var negotiation = parsed is { Success: true } ? SdpNegotiator.ProcessAnswer(call.LocalSdp!, parsed.Description!) : null;
        if (negotiation is not { Success: true })
        {
            // RFC 3264 §5: an offer in the 2xx needs an acceptable answer in the ACK; without one there is no media.
            EndInBackground(call, "no acceptable SDP answer in the ACK", sendBye: true);
            return;
        }

        call.Audio = negotiation.Audio;
        await media.OnMediaChangedAsync(call).ConfigureAwait(false);
    }

    public async ValueTask OnDialogTerminatedAsync(Dialog dialog, DialogTerminationReason reason)
    {
        if (dialog.UserState is EmergencyCall call)
        {
            // The stack sends the BYE itself for a missing ACK.
            EndInBackground(call, reason.ToString(), sendBye: false);
        }
    }

    public async ValueTask OnInDialogRequestAsync(SipServerTransaction transaction, Dialog dialog)
    {
        var request = transaction.Request;
        if (dialog.UserState is OperatorLeg operatorLeg)
        {
            await OnOperatorLegRequestAsync(transaction, dialog, operatorLeg).ConfigureAwait(false);
            return;
        }

        var call = dialog.UserState as EmergencyCall;
        switch (request.Method)
        {
            case SipMethods.Bye:
                if (call is not null)
                {
                    // Started before the 200 goes out, so the caller's next call finds this one gone.
                    EndInBackground(call, "caller hung up", sendBye: false);
                }

                await transaction.SendResponseAsync(dialog.CreateResponse(request, 200)).ConfigureAwait(false);
                break;
            case SipMethods.Invite or SipMethods.Update when call is not null:
                await OnSessionModificationAsync(transaction, dialog, call).ConfigureAwait(false);
                break;
            default:
                await AnswerOtherInDialogAsync(transaction, dialog).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask RejectAsync(ServerInviteTransaction invite, int status, string? reason, string? warning)
    {
        var response = invite.CreateResponse(status, reason);
        if (warning is not null)
        {
            response.Headers.Add("Warning", warning);
        }

        await invite.SendResponseAsync(response).ConfigureAwait(false);
    }

    private static void SetSdp(SipMessage message, SdpSessionDescription sdp)
    {
        message.Headers.Set("Content-Type", SdpBody.ContentType);
        message.Body = sdp.ToUtf8();
    }

    private static string Agent => Dns.GetHostName();

    private static ulong SessionIdFor(SipRequest request) => (ulong)(request.CallId ?? "").GetHashCode() & 0x7FFF_FFFF;

    private static string NewCallId() => Guid.CreateVersion7().ToString("N");
}
