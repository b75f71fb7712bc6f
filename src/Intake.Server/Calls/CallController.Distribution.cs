using Intake.Acd;
using Intake.Acd.Decisions;
using Intake.Contracts.V1;
using Intake.Media.Sdp;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;
using AcdCallAbandoned = Intake.Acd.Decisions.CallAbandoned;
using AcdCallQueued = Intake.Acd.Decisions.CallQueued;

namespace Intake.Server.Calls;

/// <summary>The ACD's decisions turned into SIP: ring operators, cancel offers, overflow, and bridge on answer.</summary>
public sealed partial class CallController
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, EmergencyCall> _byId = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _legTasks = new();

    public EmergencyCall? FindCall(string callId) => _byId.TryGetValue(callId, out var call) ? call : null;

    /// <summary>Acts on one decision of the ACD; slow work (ringing a phone) continues in tracked tasks.</summary>
    public void OnDecision(AcdDecision decision)
    {
        switch (decision)
        {
            case OfferCall offer when FindCall(offer.CallId) is { } call:
                foreach (var username in offer.Operators)
                {
                    Track(RingAsync(call, username, offer.RingTimeout));
                }

                break;
            case OfferCall offer:
                // The call ended between the decision and now: give the offers back.
                foreach (var username in offer.Operators)
                {
                    acd.OfferFailed(offer.CallId, username, OfferFailureReason.Failed);
                }

                break;
            case CancelOffer cancel when FindCall(cancel.CallId) is { } call && call.RingingLegs.TryGetValue(cancel.Operator, out var leg):
                Track(CancelLegAsync(leg));
                break;
            case OverflowCall overflow when FindCall(overflow.CallId) is { } call:
                events.Publish(call.Id, new CallEvent
                {
                    Overflowed = new CallOverflowed
                    {
                        TargetUri = overflow.OverflowUri,
                        Reason = OverflowReasonText(overflow.Reason),
                        WaitSeconds = overflow.Wait.TotalSeconds,
                    },
                });
                Track(OverflowAsync(call, overflow.OverflowUri));
                break;
            case AcdCallQueued queued:
                events.Publish(queued.CallId, new CallEvent
                {
                    Queued = new Contracts.V1.CallQueued { Queue = queued.Queue, Position = (uint)Math.Max(queued.Position, 0), Priority = queued.Priority },
                });
                break;
            case CallConnected connected:
                events.Publish(connected.CallId, new CallEvent
                {
                    Answered = new CallAnswered { Operator = connected.Operator, WaitSeconds = connected.Wait.TotalSeconds },
                });
                break;
            case AcdCallAbandoned abandoned:
                events.Publish(abandoned.CallId, new CallEvent
                {
                    Abandoned = new Contracts.V1.CallAbandoned
                    {
                        CallerNumber = abandoned.CallerNumber ?? "",
                        WaitSeconds = abandoned.Wait.TotalSeconds,
                        Stage = abandoned.RingingOperators.Count > 0 ? "ringing" : "queued",
                        Operator = abandoned.RingingOperators.Count > 0 ? abandoned.RingingOperators[0] : "",
                    },
                });
                FindCall(abandoned.CallId)?.AcdReleased.TrySetResult();
                break;
            case CallCompleted completed:
                FindCall(completed.CallId)?.AcdReleased.TrySetResult();
                break;
            case Intake.Acd.Decisions.OperatorStateChanged changed:
                events.Publish("", new CallEvent
                {
                    OperatorState = new Contracts.V1.OperatorStateChanged
                    {
                        Operator = changed.Operator,
                        State = OperatorStateText(changed.New),
                        PreviousState = OperatorStateText(changed.Old),
                        Reason = changed.Reason ?? "",
                    },
                });
                break;
        }
    }

    private void Track(Task task)
    {
        _legTasks[task] = 0;
        task.ContinueWith(t => _legTasks.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task RingAsync(EmergencyCall call, string username, TimeSpan ringTimeout)
    {
        var leg = new OperatorLeg(call, username, isOverflow: false, time.GetUtcNow());
        if (!call.RingingLegs.TryAdd(username, leg))
        {
            return;
        }

        var attempt = Interlocked.Increment(ref call.RingAttempts);
        try
        {
            if (!operators.TryGetTarget(username, out var contact, out var destination))
            {
                FailLeg(leg, OfferFailureReason.Failed, "operator has no reachable registration");
                return;
            }

            events.Publish(call.Id, new CallEvent
            {
                Ringing = new OperatorRinging
                {
                    Operator = username,
                    WaitSeconds = (time.GetUtcNow() - call.ArrivedAt).TotalSeconds,
                    Attempt = (uint)attempt,
                },
            });
            var to = new SipNameAddress(SipUri.Parse($"sip:{username}@{contact.Host}"), DisplayNameOf(username));
            await InviteLegAsync(leg, contact, to, destination, ringTimeout).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ServerLog.CallStepFailed(logger, call.Id, $"ringing {username}", ex);
            FailLeg(leg, OfferFailureReason.Failed, ex.Message);
        }
    }

    private async Task OverflowAsync(EmergencyCall call, string overflowUri)
    {
        call.Overflowed = true;
        var leg = new OperatorLeg(call, overflowUri, isOverflow: true, time.GetUtcNow());
        try
        {
            var uri = SipUri.Parse(overflowUri);
            await InviteLegAsync(leg, uri, new SipNameAddress(uri), destination: null, ringTimeout: TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ServerLog.CallStepFailed(logger, call.Id, $"overflow to {overflowUri}", ex);
        }
    }

    /// <summary>INVITE an operator or another centre with our own offer; bridge on 2xx, report anything else.</summary>
    private async Task InviteLegAsync(OperatorLeg leg, SipUri requestUri, SipNameAddress to, SipEndPoint? destination, TimeSpan ringTimeout)
    {
        var call = leg.Call;
        var offer = await bridge.OpenOutboundLegAsync(leg).ConfigureAwait(false);
        if (offer is null)
        {
            FailLeg(leg, OfferFailureReason.Failed, "no media port");
            return;
        }

        leg.LocalSdp = offer;
        var stack = Stack;
        var hostForFrom = destination is { } d ? stack.GetLocalContact(d).Host : stack.GetLocalContact(DefaultPeer).Host;
        var from = new SipNameAddress(
            SipUri.Parse($"sip:{UserPart(call.CallerNumber)}@{hostForFrom}"),
            string.IsNullOrEmpty(call.CallerDisplayName) ? call.CallerNumber : call.CallerDisplayName);
        var request = stack.CreateRequest(SipMethods.Invite, requestUri, from, to,
            destination is { } dest ? stack.GetLocalContact(dest) : stack.GetLocalContact(DefaultPeer));
        request.Headers.Add("P-Asserted-Identity", new SipNameAddress(from.Uri, from.DisplayName).ToString());
        request.Headers.Add("Subject", $"Emergency call {call.DialledNumber} ({call.Queue.Name})");
        if (!leg.IsOverflow && config.Intake.OperatorAutoAnswer)
        {
            // Auto-answer hints understood by common softphones and desk phones; harmless to the others.
            request.Headers.Add("Call-Info", $"<sip:{hostForFrom}>;answer-after=0");
            request.Headers.Add("Alert-Info", $"<sip:{hostForFrom}>;info=alert-autoanswer");
        }

        request.Headers.Add("Allow", Sip.SipCapabilities.Allow);
        SetSdp(request, offer);
        var transaction = destination is { } target
            ? await stack.SendRequestAsync(request, target).ConfigureAwait(false)
            : await stack.SendRequestAsync(request).ConfigureAwait(false);
        var invite = (ClientInviteTransaction)transaction;
        leg.Invite = invite;
        if (leg.State == OperatorLegState.Cancelled)
        {
            // Cancelled while the INVITE was being sent.
            await stack.CancelAsync(invite).ConfigureAwait(false);
        }

        // The ACD enforces operators' ring timeouts; this guard only covers a leg nobody cancels (overflow).
        using var guard = new CancellationTokenSource(ringTimeout + TimeSpan.FromSeconds(5), time);
        using var registration = guard.Token.Register(() => _ = CancelLegAsync(leg));
        var final = await invite.FinalResponse.ConfigureAwait(false);
        await OnLegFinalResponseAsync(leg, invite, final).ConfigureAwait(false);
    }

    private async Task OnLegFinalResponseAsync(OperatorLeg leg, ClientInviteTransaction invite, SipResponse final)
    {
        var call = leg.Call;
        var stack = Stack;
        if (final.StatusCode is < 200 or >= 300)
        {
            var reason = final.StatusCode switch
            {
                408 or 480 or 487 => OfferFailureReason.NoAnswer,
                486 or 600 or 603 => OfferFailureReason.Rejected,
                _ => OfferFailureReason.Failed,
            };
            FailLeg(leg, reason, $"{final.StatusCode} {final.ReasonPhrase}");
            return;
        }

        var dialog = stack.CreateUacDialog(invite, final);
        dialog.UserState = leg;
        leg.Dialog = dialog;
        await stack.SendAckAsync(dialog, final).ConfigureAwait(false);

        var answerBytes = SdpBody.Find(final);
        var parsed = answerBytes.IsEmpty ? null : SdpParser.Parse(answerBytes.Span);
        var negotiation = parsed is { Success: true } ? SdpNegotiator.ProcessAnswer(leg.LocalSdp!, parsed.Description!) : null;
        var accepted = negotiation is { Success: true } && leg.TryMove(OperatorLegState.Inviting, OperatorLegState.Answered);
        var acdAccepted = accepted && (leg.IsOverflow || acd.CallAnswered(call.Id, leg.Target) == AcdResult.Ok);
        if (!acdAccepted || call.IsEnded)
        {
            // Too late (ring timeout, another phone won, caller gone) or no usable media: this leg hangs up.
            leg.TryEnd(OperatorLegState.Ended);
            await stack.SendInDialogAsync(dialog, dialog.CreateRequest(SipMethods.Bye)).ConfigureAwait(false);
            await bridge.CloseOutboundLegAsync(leg).ConfigureAwait(false);
            call.RingingLegs.TryRemove(new KeyValuePair<string, OperatorLeg>(leg.Target, leg));
            if (!accepted && !leg.IsOverflow)
            {
                acd.OfferFailed(call.Id, leg.Target, OfferFailureReason.Failed);
            }

            return;
        }

        leg.Audio = negotiation!.Audio;
        leg.AnsweredAt = time.GetUtcNow();
        call.BridgedLeg = leg;
        call.RingingLegs.TryRemove(new KeyValuePair<string, OperatorLeg>(leg.Target, leg));
        ServerLog.Bridged(logger, call.Id, leg.Target);
        await bridge.BridgeAsync(call, leg).ConfigureAwait(false);
    }

    private void FailLeg(OperatorLeg leg, OfferFailureReason reason, string detail)
    {
        var wasLive = leg.TryEnd(OperatorLegState.Failed);
        leg.Call.RingingLegs.TryRemove(new KeyValuePair<string, OperatorLeg>(leg.Target, leg));
        Track(bridge.CloseOutboundLegAsync(leg).AsTask());
        ServerLog.LegFailed(logger, leg.Call.Id, leg.Target, detail);
        if (wasLive && !leg.IsOverflow)
        {
            acd.OfferFailed(leg.Call.Id, leg.Target, reason);
        }
    }

    /// <summary>Stops a ringing leg (RFC 3261 §9.1: CANCEL once a provisional response came); a 2xx racing it gets BYE.</summary>
    private async Task CancelLegAsync(OperatorLeg leg)
    {
        if (!leg.TryMove(OperatorLegState.Inviting, OperatorLegState.Cancelled))
        {
            return;
        }

        leg.Call.RingingLegs.TryRemove(new KeyValuePair<string, OperatorLeg>(leg.Target, leg));
        if (leg.Invite is { } invite)
        {
            await Stack.CancelAsync(invite).ConfigureAwait(false);
        }

        await bridge.CloseOutboundLegAsync(leg).ConfigureAwait(false);
    }

    private static SipEndPoint DefaultPeer => new(Intake.Sip.SipTransportProtocol.Udp, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 5060));

    private static string UserPart(string number) => string.IsNullOrEmpty(number) ? "anonymous" : Uri.EscapeDataString(number);

    private static string OverflowReasonText(OverflowReason reason) => reason switch
    {
        OverflowReason.MaxWait => "max-wait",
        OverflowReason.NoOperatorLoggedIn => "no-operator",
        OverflowReason.Capacity => "capacity",
        _ => reason.ToString().ToLowerInvariant(),
    };

    public static string OperatorStateText(Intake.Acd.Operators.AcdOperatorState state) => state switch
    {
        Intake.Acd.Operators.AcdOperatorState.LoggedOut => "logged-out",
        Intake.Acd.Operators.AcdOperatorState.Available => "available",
        Intake.Acd.Operators.AcdOperatorState.Ringing => "ringing",
        Intake.Acd.Operators.AcdOperatorState.OnCall => "on-call",
        Intake.Acd.Operators.AcdOperatorState.WrapUp => "wrap-up",
        _ => "not-ready",
    };
}
