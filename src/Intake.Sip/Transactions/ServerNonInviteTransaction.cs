using Intake.Sip.Messages;

namespace Intake.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.2 server non-INVITE transaction: Trying, Proceeding, Completed (Timer J = 64*T1 on UDP,
/// zero on reliable transports) and Terminated.
/// </summary>
public sealed class ServerNonInviteTransaction : SipServerTransaction
{
    private readonly TransactionTimer _timerJ;

    internal ServerNonInviteTransaction(SipRequest request, SipTransactionKey key, SipResponseRoute route, SipTransactionContext context)
        : base(request, key, route, context)
    {
        State = SipTransactionState.Trying;
        _timerJ = CreateTimer(SipTimer.J);
    }

    public override async ValueTask<bool> SendResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sent = await RunAsync(static (arg) => arg.Self.SendUnderGateAsync(arg.Response), (Self: this, Response: response), false)
            .ConfigureAwait(false);
        if (sent && response.StatusCode >= 200) await NotifyFinalSentAsync(response).ConfigureAwait(false);
        return sent;
    }

    internal override ValueTask<bool> OnRequestAsync(SipRequest request) =>
        RunAsync(static async self =>
        {
            // Trying has nothing to repeat yet; Proceeding and Completed repeat the last response.
            if (self.State is SipTransactionState.Proceeding or SipTransactionState.Completed && self.LastResponse is { } last)
            {
                await self.SendToWireAsync(last).ConfigureAwait(false);
            }

            return false;
        }, this, false);

    private protected override ValueTask OnTimerAsync(SipTimer timer)
    {
        if (timer == SipTimer.J && State == SipTransactionState.Completed) Terminate();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<bool> SendUnderGateAsync(SipResponse response)
    {
        if (State is not (SipTransactionState.Trying or SipTransactionState.Proceeding))
        {
            TransactionLog.ResponseRejected(Context.Logger, response.StatusCode, ToString(), State);
            return false;
        }

        var ok = await SendToWireAsync(response).ConfigureAwait(false);
        LastResponse = response;
        if (response.StatusCode < 200)
        {
            State = SipTransactionState.Proceeding;
        }
        else
        {
            State = SipTransactionState.Completed;
            if (IsReliable || !ok) Terminate();
            else _timerJ.Start(Timers.TransactionTimeout);
        }

        if (!ok) TransactionLog.TransportError(Context.Logger, ToString());
        return ok;
    }
}
