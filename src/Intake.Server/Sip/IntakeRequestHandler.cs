using Intake.Server.Calls;
using Intake.Server.Observability;
using Intake.Server.Operators;
using Intake.Server.Security;
using Intake.Sip.Core;
using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;

namespace Intake.Server.Sip;

/// <summary>
/// The transaction user of the stack: sorts each new request to the part of the server that owns it.
/// Runs on the transport's receive path, so every branch answers or hands off quickly.
/// </summary>
public sealed class IntakeRequestHandler(
    CallController calls,
    OperatorDirectory operators,
    SourceRateLimiter limiter,
    TrunkAcl trunks,
    IntakeMetrics metrics) : ISipRequestHandler
{
    /// <summary>What a rate-limited source is told; a well-behaved REGISTER or OPTIONS sender backs off this long.</summary>
    public const int RateLimitRetryAfterSeconds = 5;

    public void Attach(SipStack stack) => calls.Attach(stack);

    public Task StopAsync(CancellationToken cancellationToken) => calls.StopAsync(cancellationToken);

    public async ValueTask OnRequestAsync(SipServerTransaction transaction, Dialog? dialog)
    {
        metrics.SipRequestReceived(transaction.Request.Method);
        try
        {
            await RouteAsync(transaction, dialog).ConfigureAwait(false);
        }
        finally
        {
            // Final responses sent while routing; a delayed answer (Sip:AnswerDelayMilliseconds) is not seen here.
            if (transaction.LastResponse is { StatusCode: >= 200 } response)
            {
                metrics.SipResponseSent(response.StatusCode);
            }
        }
    }

    private async ValueTask RouteAsync(SipServerTransaction transaction, Dialog? dialog)
    {
        var request = transaction.Request;
        if (dialog is not null)
        {
            // Requests of established calls (BYE above all) are never limited.
            if (dialog.UserState is IDialogRequestHandler owner)
            {
                await owner.OnDialogRequestAsync(transaction, dialog).ConfigureAwait(false);
            }
            else
            {
                await calls.OnInDialogRequestAsync(transaction, dialog).ConfigureAwait(false);
            }

            return;
        }

        if (IsLimited(transaction))
        {
            metrics.SourceRateLimited(request.Method);
            var busy = transaction.CreateResponse(503);
            busy.Headers.Add("Retry-After", RateLimitRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await transaction.SendResponseAsync(busy).ConfigureAwait(false);
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

    /// <summary>
    /// INVITEs from a trunk (or from anyone when no trunk is configured) are never limited: an emergency call must
    /// not wait behind a registration storm. REGISTER, OPTIONS and the other non-call methods were limited before
    /// parsing (<see cref="IntakeInboundClassifier"/>); the remaining out-of-dialog call methods spend their
    /// source's token bucket here, where a limited one is answered 503.
    /// </summary>
    private bool IsLimited(SipServerTransaction transaction)
    {
        var source = transaction.Route.Destination.Address.Address;
        var method = transaction.Request.Method;
        if (IntakeInboundClassifier.IsLimitedBeforeParsing(method) || (method == SipMethods.Invite && trunks.TryMatch(source, out _)))
        {
            return false;
        }

        return !limiter.TryAcquire(source, SourceRateLimiter.Classify(method));
    }

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
