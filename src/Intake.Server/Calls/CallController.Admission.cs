using System.Globalization;
using Intake.Server.Configuration;
using Intake.Server.Operations;
using Intake.Sip.Transactions;

namespace Intake.Server.Calls;

/// <summary>
/// Whether a new emergency INVITE may become a call: not while the server drains, only from a configured trunk,
/// and not past <c>Intake:MaxConcurrentCalls</c> unless the queue can overflow. Refusals come before any answer,
/// media port or event, so that the trunk can route the call elsewhere at once.
/// </summary>
public sealed partial class CallController
{
    private volatile bool _draining;

    /// <summary>True once <see cref="BeginDrain"/> was called: new INVITEs get 503 while calls in progress go on.</summary>
    public bool IsDraining => _draining;

    /// <summary>Shutdown has begun: refuse new calls from now on (calls in progress are not touched).</summary>
    public void BeginDrain() => _draining = true;

    /// <summary>The trunk the INVITE came from ("" when every source is allowed), or null when it was refused.</summary>
    private async ValueTask<string?> AdmitSourceAsync(ServerInviteTransaction invite, string source)
    {
        if (_draining)
        {
            OperationsLog.RefusedWhileDraining(logger, source);
            // Long enough for the trunk to use another server rather than come back to one on its way out.
            await RefuseBusyAsync(invite, Math.Max(config.Intake.DrainSeconds, 5)).ConfigureAwait(false);
            return null;
        }

        if (!trunks.TryMatch(invite.Route.Destination.Address.Address, out var trunk))
        {
            OperationsLog.SourceNotTrunk(logger, source);
            metrics.SourceRejectedByAcl(invite.Request.Method);
            await invite.SendResponseAsync(invite.CreateResponse(403)).ConfigureAwait(false);
            return null;
        }

        return trunk;
    }

    /// <summary>
    /// No room (after a 503) when the server already holds <c>Intake:MaxConcurrentCalls</c> calls and the queue has no
    /// overflow; with an overflow the call is answered and the ACD hands it to the overflow centre. Reserved: a place
    /// was taken for this call, which the caller gives back once the call is in the table (or failed to get there).
    /// </summary>
    private async ValueTask<(bool Room, bool Reserved)> HasRoomAsync(ServerInviteTransaction invite, QueueOptions queue, string number, string source)
    {
        var max = config.Intake.MaxConcurrentCalls;
        if (max <= 0 || !string.IsNullOrWhiteSpace(queue.OverflowUri))
        {
            return (true, false);
        }

        while (true)
        {
            // Reservations are read before the table: a call moving from one to the other in between is counted
            // twice (never missed), so the limit holds with INVITEs of different calls handled in parallel.
            var reservations = Volatile.Read(ref _reserved);
            var active = ActiveCalls + reservations;
            if (active >= max)
            {
                OperationsLog.CapacityReached(logger, number, source, active, queue.Name);
                await RefuseBusyAsync(invite, 5).ConfigureAwait(false);
                return (false, false);
            }

            if (Interlocked.CompareExchange(ref _reserved, reservations + 1, reservations) == reservations)
            {
                return (true, true);
            }
        }
    }

    private static async ValueTask RefuseBusyAsync(ServerInviteTransaction invite, int retryAfterSeconds)
    {
        var busy = invite.CreateResponse(503);
        busy.Headers.Add("Retry-After", retryAfterSeconds.ToString(CultureInfo.InvariantCulture));
        await invite.SendResponseAsync(busy).ConfigureAwait(false);
    }

    /// <summary>The end of a call as metrics see it: its outcome and the RTP of both legs.</summary>
    private void CountEnded(EmergencyCall call, string outcome)
    {
        metrics.CallEnded(outcome);
        if (call.CallerQuality is { } caller)
        {
            metrics.RtpSessionEnded(caller);
        }

        if (call.OperatorQuality is { } @operator)
        {
            metrics.RtpSessionEnded(@operator);
        }
    }
}
