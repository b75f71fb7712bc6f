using Intake.Media.Prompts;
using Intake.Media.Relay;
using Intake.Media.Rtp;
using Intake.Media.Sdp;
using Intake.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Calls;

/// <summary>
/// The operator side of the B2BUA's media: one RTP session per outbound leg, the relay that joins it to the caller's
/// session, and the hold reminder the caller hears while the operator holds. The caller's recorder stays on the
/// caller's session, so the recording keeps caller left and what the caller hears (now the operator) right.
/// </summary>
public sealed partial class BridgeMedia(CallMedia media, IntakeConfiguration config, ILogger<BridgeMedia> logger)
{
    /// <summary>Opens the operator leg's RTP and returns our offer, or null when no media port is left.</summary>
    public ValueTask<SdpSessionDescription?> OpenOutboundLegAsync(OperatorLeg leg)
    {
        if (!media.TryOpenSession(out var session))
        {
            return ValueTask.FromResult<SdpSessionDescription?>(null);
        }

        leg.Media = session;
        var sessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        return ValueTask.FromResult<SdpSessionDescription?>(SdpNegotiator.CreateOffer(media.DescribeLocal(session!.LocalPort, sessionId)));
    }

    /// <summary>Frees a leg that never got bridged (failed, cancelled, too late).</summary>
    public async ValueTask CloseOutboundLegAsync(OperatorLeg leg)
    {
        if (leg.TakeMedia() is { } session)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The operator answered: prompts stop and the relay carries audio both ways (transcoding if needed).</summary>
    public ValueTask BridgeAsync(EmergencyCall call, OperatorLeg leg)
    {
        if (leg.Media is not { } session || call.Media is not { } caller || leg.Audio is not { } audio)
        {
            return ValueTask.CompletedTask;
        }

        session.Apply(audio);
        session.Start();
        caller.StopPrompts();
        var relay = new RtpRelay(caller.Session, session);
        lock (call.BridgeGate)
        {
            if (call.IsEnded)
            {
                relay.Dispose();
                return ValueTask.CompletedTask;
            }

            call.Relay = relay;
        }

        LogBridged(call.Id, leg.Target, session.LocalPort, audio.Encoding.ToString());
        return ValueTask.CompletedTask;
    }

    /// <summary>The operator's re-INVITE put the caller on hold (sendonly/inactive) or took them off it.</summary>
    public void SetOperatorHold(EmergencyCall call, OperatorLeg leg, bool onHold)
    {
        if (leg.Media is { } session && leg.Audio is { } audio)
        {
            session.Apply(audio);
        }

        if (call.Relay is not { } relay || call.Media is not { } caller)
        {
            return;
        }

        LogHold(call.Id, leg.Target, onHold ? "put the caller on hold: hold reminder playing" : "resumed the caller");
        if (onHold)
        {
            var reminder = media.Prompts.Find("hold", config.Intake.PromptLanguage);
            if (reminder is not null)
            {
                call.HoldPlayer ??= new PromptPlayer(caller.Session.Outbound, media.Clock);
                relay.UsePlayer(RelayLeg.Caller, call.HoldPlayer, PromptPlaylist.Loop(reminder, TimeSpan.FromSeconds(Math.Max(1, call.Queue.HoldPromptIntervalSeconds))));
            }
        }
        else
        {
            relay.UseRelay(RelayLeg.Caller);
        }
    }

    /// <summary>Ends the bridge: relay first (it owns both outbound streams), then the operator's session.</summary>
    public async ValueTask<RtpQualitySnapshot?> EndAsync(EmergencyCall call)
    {
        RtpRelay? relay;
        lock (call.BridgeGate)
        {
            relay = call.Relay;
            call.Relay = null;
        }

        relay?.Dispose();
        call.HoldPlayer?.Dispose();
        RtpQualitySnapshot? quality = null;
        if (call.BridgedLeg is { Media: { } session } leg)
        {
            quality = session.GetQualitySnapshot();
            await CloseOutboundLegAsync(leg).ConfigureAwait(false);
        }

        return quality;
    }

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Call {CallId}: {Target} {What}")]
    private partial void LogHold(string callId, string target, string what);

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Call {CallId} bridged to {Target} (operator RTP port {Port}, {Codec})")]
    private partial void LogBridged(string callId, string target, int port, string codec);
}
