using System.Collections.Concurrent;
using System.Net;
using Intake.Acd.Engine;
using Intake.Contracts.V1;
using Intake.Media.Recording;
using Intake.Media.Relay;
using Intake.Media.Rtp;
using Intake.Media.Sdp;
using Intake.Server.Api;
using Intake.Server.Operators;
using Intake.Server.Sip;
using Intake.Server.Storage;
using Intake.Sip;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Calls;

/// <summary>
/// Calls.Callback: the operator's phone rings first; once the operator answers, the caller of the abandoned call is
/// called back through the trunk it came from, marked <c>Priority: psap-callback</c> (RFC 7090), and the two are
/// bridged and recorded. The operator is held not-ready meanwhile, so the ACD offers them nothing else.
/// </summary>
public sealed partial class CallbackDialer(
    SipServerService sip,
    OperatorDirectory operators,
    CallMedia media,
    AcdEngine acd,
    CallEventLog events,
    TimeProvider time,
    ILogger<CallbackDialer> logger) : ICallbackDialer
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(45);
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    public ValueTask<CallbackResult> DialAsync(Call abandonedCall, string operatorUsername, CancellationToken cancellationToken)
    {
        if (!operators.IsOperator(operatorUsername) || acd.GetOperator(operatorUsername) is not { } snapshot)
        {
            return ValueTask.FromResult(CallbackResult.UnknownOperator(operatorUsername));
        }

        if (snapshot.State is not (Intake.Acd.Operators.AcdOperatorState.Available or Intake.Acd.Operators.AcdOperatorState.NotReady)
            || !operators.TryGetTarget(operatorUsername, out var operatorContact, out var operatorDestination))
        {
            return ValueTask.FromResult(CallbackResult.OperatorNotReady($"{operatorUsername} is {CallController.OperatorStateText(snapshot.State)}"));
        }

        var source = abandonedCall.Events.Select(e => e.Offered?.SourceAddress).FirstOrDefault(s => !string.IsNullOrEmpty(s));
        if (string.IsNullOrEmpty(abandonedCall.CallerNumber) || !TryParseSource(source, out var trunk))
        {
            return ValueTask.FromResult(CallbackResult.Failed("the abandoned call has no caller number or source to call back"));
        }

        acd.SetNotReady(operatorUsername, "call-back");
        var callback = new CallbackCall(this, Guid.CreateVersion7().ToString("N"), abandonedCall.CallId, abandonedCall.CallerNumber, operatorUsername, time.GetUtcNow());
        var run = RunAsync(callback, abandonedCall, operatorContact, operatorDestination, trunk);
        _running[run] = 0;
        run.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
        return ValueTask.FromResult(CallbackResult.Started(callback.Id));
    }

    /// <summary>In-dialog requests of either call-back leg.</summary>
    public async ValueTask OnInDialogRequestAsync(SipServerTransaction transaction, Dialog dialog, CallbackCall callback)
    {
        var request = transaction.Request;
        var response = dialog.CreateResponse(request, request.Method is SipMethods.Bye or SipMethods.Info or SipMethods.Options or SipMethods.Update ? 200 : 488);
        await transaction.SendResponseAsync(response).ConfigureAwait(false);
        if (request.Method == SipMethods.Bye)
        {
            callback.OnHangUp(dialog);
        }
    }

    private async Task RunAsync(CallbackCall callback, Call original, SipUri operatorContact, SipEndPoint operatorDestination, SipEndPoint trunk)
    {
        var stack = sip.Stack;
        var outcome = "failed";
        var hungUpBy = "server";
        events.Publish(callback.Id, new CallEvent
        {
            Offered = new CallOffered
            {
                CallerNumber = callback.CallerNumber,
                DialledNumber = original.DialledNumber,
                Queue = original.Queue,
                SourceAddress = $"callback of {original.CallId}",
                Trunk = "",
            },
        });
        try
        {
            // 1. The operator first: nobody should hear the caller answer into silence.
            var host = stack.GetLocalContact(operatorDestination).Host;
            var callerIdentity = new SipNameAddress(SipUri.Parse($"sip:{Uri.EscapeDataString(callback.CallerNumber)}@{host}"), $"Call-back {callback.CallerNumber}");
            var operatorOk = await InviteAsync(callback, operatorContact, new SipNameAddress(SipUri.Parse($"sip:{callback.Operator}@{operatorContact.Host}")),
                callerIdentity, operatorDestination, forCaller: false).ConfigureAwait(false);
            if (operatorOk is null)
            {
                return;
            }

            events.Publish(callback.Id, new CallEvent { Ringing = new OperatorRinging { Operator = callback.Operator, Attempt = 1 } });

            // 2. The caller, back through the trunk the call came from.
            var callerUri = SipUri.Parse($"sip:{Uri.EscapeDataString(callback.CallerNumber)}@{HostOf(trunk.Address.Address)}:{trunk.Address.Port}");
            var psap = new SipNameAddress(SipUri.Parse($"sip:{original.DialledNumber}@{stack.GetLocalContact(trunk).Host}"), "Emergency call-back");
            var callerOk = await InviteAsync(callback, callerUri, new SipNameAddress(callerUri), psap, trunk, forCaller: true).ConfigureAwait(false);
            if (callerOk is null)
            {
                outcome = "callback-unanswered";
                return;
            }

            // 3. Bridge and record: caller left, operator right, as for an emergency call.
            callback.ConnectedAt = time.GetUtcNow();
            callback.Recorder = CallRecorder.Start(media.RecordingsDirectory, callback.Id, time);
            callback.Recorder.AttachTo(callback.CallerMedia!);
            callback.Relay = new RtpRelay(callback.CallerMedia!, callback.OperatorMedia!);
            events.Publish(callback.Id, new CallEvent { Answered = new CallAnswered { Operator = callback.Operator } });
            LogConnected(callback.Id, callback.CallerNumber, callback.Operator);
            hungUpBy = await callback.HungUp.ConfigureAwait(false);
            outcome = "answered";
        }
        catch (Exception ex)
        {
            LogFailed(ex, callback.Id);
        }
        finally
        {
            await EndAsync(callback, outcome, hungUpBy).ConfigureAwait(false);
        }
    }

    /// <summary>INVITEs one leg with our own offer; returns the 2xx (ACKed, media applied) or null.</summary>
    private async Task<SipResponse?> InviteAsync(CallbackCall callback, SipUri requestUri, SipNameAddress to, SipNameAddress from, SipEndPoint destination, bool forCaller)
    {
        var stack = sip.Stack;
        if (!media.TryOpenSession(out var session))
        {
            return null;
        }

        var offer = SdpNegotiator.CreateOffer(media.DescribeLocal(session!.LocalPort, (ulong)Random.Shared.NextInt64(1, long.MaxValue)));
        if (forCaller)
        {
            callback.CallerMedia = session;
            callback.CallerOffer = offer;
        }
        else
        {
            callback.OperatorMedia = session;
            callback.OperatorOffer = offer;
        }

        var request = stack.CreateRequest(SipMethods.Invite, requestUri, from, to, stack.GetLocalContact(destination));
        request.Headers.Add("P-Asserted-Identity", new SipNameAddress(from.Uri, from.DisplayName).ToString());
        if (forCaller)
        {
            request.Headers.Add("Priority", "psap-callback");
        }
        else
        {
            request.Headers.Add("Subject", $"PSAP call-back to {callback.CallerNumber}");
        }

        request.Headers.Set("Content-Type", SdpBody.ContentType);
        request.Body = offer.ToUtf8();
        var invite = (ClientInviteTransaction)await stack.SendRequestAsync(request, destination).ConfigureAwait(false);
        using var guard = new CancellationTokenSource(AnswerTimeout, time);
        using var registration = guard.Token.Register(() => _ = stack.CancelAsync(invite));
        var final = await invite.FinalResponse.ConfigureAwait(false);
        if (final.StatusCode is < 200 or >= 300)
        {
            LogLegRefused(callback.Id, forCaller ? "caller" : "operator", final.StatusCode);
            return null;
        }

        var dialog = stack.CreateUacDialog(invite, final);
        dialog.UserState = callback;
        if (forCaller)
        {
            callback.CallerDialog = dialog;
        }
        else
        {
            callback.OperatorDialog = dialog;
        }

        await stack.SendAckAsync(dialog, final).ConfigureAwait(false);
        var answerBytes = SdpBody.Find(final);
        var parsed = answerBytes.IsEmpty ? null : SdpParser.Parse(answerBytes.Span);
        var negotiation = parsed is { Success: true } ? SdpNegotiator.ProcessAnswer(offer, parsed.Description!) : null;
        if (negotiation is not { Success: true })
        {
            LogLegRefused(callback.Id, forCaller ? "caller" : "operator", 488);
            return null;
        }

        session.Apply(negotiation.Audio!);
        session.Start();
        return final;
    }

    private async Task EndAsync(CallbackCall callback, string outcome, string hungUpBy)
    {
        var stack = sip.Stack;
        foreach (var dialog in new[] { callback.CallerDialog, callback.OperatorDialog })
        {
            if (dialog is { State: DialogState.Confirmed })
            {
                try
                {
                    await stack.SendInDialogAsync(dialog, dialog.CreateRequest(SipMethods.Bye)).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogFailed(ex, callback.Id);
                }
            }
        }

        callback.Relay?.Dispose();
        RecordingResult? recording = null;
        if (callback.Recorder is { } recorder)
        {
            recorder.DetachFrom(callback.CallerMedia!);
            recording = await recorder.CompleteAsync().ConfigureAwait(false);
        }

        var callerQuality = callback.CallerMedia?.GetQualitySnapshot();
        var operatorQuality = callback.OperatorMedia?.GetQualitySnapshot();
        foreach (var session in new[] { callback.CallerMedia, callback.OperatorMedia })
        {
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }

        acd.SetReady(callback.Operator);
        var end = time.GetUtcNow();
        events.Publish(callback.Id, new CallEvent
        {
            Ended = new CallEnded
            {
                HungUpBy = hungUpBy,
                Outcome = outcome == "answered" ? "callback" : outcome,
                TalkSeconds = callback.ConnectedAt is { } connected ? (end - connected).TotalSeconds : 0,
                Operator = callback.Operator,
                CallerLeg = LegQualityMapper.ToLegQuality(callerQuality),
                OperatorLeg = LegQualityMapper.ToLegQuality(operatorQuality),
            },
        });
        if (recording is not null)
        {
            var info = new RecordingInfo(callback.Id, callback.Id, recording.Path, recording.Duration.TotalSeconds,
                (ulong)recording.SizeBytes, recording.Sha256, end);
            events.Publish(callback.Id, new CallEvent
            {
                Recording = new RecordingAvailable
                {
                    RecordingId = callback.Id,
                    DurationSeconds = recording.Duration.TotalSeconds,
                    SizeBytes = (ulong)recording.SizeBytes,
                    Sha256 = recording.Sha256,
                },
            }, info);
        }

        LogEnded(callback.Id, outcome);
    }

    /// <summary>Waits for call-backs in progress at shutdown (they end with the dialogs the stack tears down).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(_running.Keys).WaitAsync(cancellationToken);

    /// <summary>"udp:203.0.113.5:5060" or "tcp:[2001:db8::1]:5060" as written in the offered event.</summary>
    public static bool TryParseSource(string? text, out SipEndPoint endPoint)
    {
        endPoint = default;
        var colon = text?.IndexOf(':') ?? -1;
        if (text is null || colon <= 0 || !IPEndPoint.TryParse(text[(colon + 1)..], out var address))
        {
            return false;
        }

        SipTransportProtocol? protocol = text[..colon].ToLowerInvariant() switch
        {
            "udp" => SipTransportProtocol.Udp,
            "tcp" => SipTransportProtocol.Tcp,
            "tls" => SipTransportProtocol.Tls,
            _ => null,
        };
        if (protocol is null)
        {
            return false;
        }

        endPoint = new SipEndPoint(protocol.Value, address);
        return true;
    }

    private static string HostOf(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    [LoggerMessage(EventId = 70, Level = LogLevel.Information, Message = "Call-back {CallbackId}: {Caller} connected to {Operator}")]
    private partial void LogConnected(string callbackId, string caller, string @operator);

    [LoggerMessage(EventId = 71, Level = LogLevel.Information, Message = "Call-back {CallbackId}: the {Leg} leg was refused ({Status})")]
    private partial void LogLegRefused(string callbackId, string leg, int status);

    [LoggerMessage(EventId = 72, Level = LogLevel.Information, Message = "Call-back {CallbackId} ended: {Outcome}")]
    private partial void LogEnded(string callbackId, string outcome);

    [LoggerMessage(EventId = 73, Level = LogLevel.Error, Message = "Call-back {CallbackId} failed")]
    private partial void LogFailed(Exception exception, string callbackId);
}
