using Intake.Sip.Messages;

namespace Intake.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.2.1 server INVITE transaction with RFC 6026's Accepted state. A non-2xx final response is
/// retransmitted on Timer G (UDP) until the ACK arrives or Timer H gives up; the ACK is absorbed here. A 2xx moves
/// the transaction to Accepted, where retransmitted INVITEs are absorbed while the UAS core retransmits the 2xx.
/// </summary>
public sealed class ServerInviteTransaction : SipServerTransaction
{
    private readonly TransactionTimer _timerG;
    private readonly TransactionTimer _timerH;
    private readonly TransactionTimer _timerI;
    private readonly TransactionTimer _timerL;
    private readonly CancellationTokenSource _cancelled = new();

    internal ServerInviteTransaction(SipRequest request, SipTransactionKey key, SipResponseRoute route, SipTransactionContext context)
        : base(request, key, route, context)
    {
        State = SipTransactionState.Proceeding;
        _timerG = CreateTimer(SipTimer.G);
        _timerH = CreateTimer(SipTimer.H);
        _timerI = CreateTimer(SipTimer.I);
        _timerL = CreateTimer(SipTimer.L);
    }

    /// <summary>Signalled when a CANCEL terminated the INVITE with 487 (§9.2), so the TU can stop its work.</summary>
    public CancellationToken CancellationRequested => _cancelled.Token;

    /// <summary>True once a CANCEL ended this INVITE.</summary>
    public bool IsCancelled => _cancelled.IsCancellationRequested;

    public override async ValueTask<bool> SendResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sent = await RunAsync(static (arg) => arg.Self.SendUnderGateAsync(arg.Response), (Self: this, Response: response), false)
            .ConfigureAwait(false);
        if (sent && response.StatusCode >= 200) await NotifyFinalSentAsync(response).ConfigureAwait(false);
        return sent;
    }

    /// <summary>§9.2: answers the INVITE with 487 if it is still proceeding.</summary>
    /// <returns>true when the INVITE was terminated by this call.</returns>
    internal async ValueTask<bool> CancelAsync()
    {
        var response = CreateResponse(487);
        var cancelled = await RunAsync(static async arg =>
        {
            if (arg.Self.State != SipTransactionState.Proceeding) return false;
            await arg.Self.SendUnderGateAsync(arg.Response).ConfigureAwait(false);
            return true;
        }, (Self: this, Response: response), false).ConfigureAwait(false);
        if (!cancelled) return false;
        await _cancelled.CancelAsync().ConfigureAwait(false);
        await NotifyFinalSentAsync(response).ConfigureAwait(false);
        return true;
    }

    internal override ValueTask<bool> OnRequestAsync(SipRequest request) =>
        RunAsync(static async arg =>
        {
            var (self, req) = arg;
            if (req.Method == SipMethods.Ack)
            {
                switch (self.State)
                {
                    case SipTransactionState.Completed:
                        self.State = SipTransactionState.Confirmed;
                        self._timerG.Stop();
                        self._timerH.Stop();
                        if (self.IsReliable) self.Terminate();
                        else self._timerI.Start(self.Timers.T4);
                        return false;
                    case SipTransactionState.Accepted:
                        // Only an RFC 2543 peer's ACK for the 2xx lands here; the core delivers it to the dialog.
                        return true;
                    default:
                        return false;
                }
            }

            if (self.State is SipTransactionState.Proceeding or SipTransactionState.Completed && self.LastResponse is { } last)
            {
                await self.SendToWireAsync(last).ConfigureAwait(false);
            }

            return false;
        }, (this, request), false);

    private protected override async ValueTask OnTimerAsync(SipTimer timer)
    {
        switch (timer)
        {
            case SipTimer.G when State == SipTransactionState.Completed && LastResponse is { } final:
                await SendToWireAsync(final).ConfigureAwait(false);
                _timerG.Start(Double(_timerG.Interval, Timers.T2));
                break;
            case SipTimer.H when State == SipTransactionState.Completed:
                TransactionLog.TimedOut(Context.Logger, ToString(), timer);
                Terminate();
                break;
            case SipTimer.I when State == SipTransactionState.Confirmed:
            case SipTimer.L when State == SipTransactionState.Accepted:
                Terminate();
                break;
        }
    }

    private async ValueTask<bool> SendUnderGateAsync(SipResponse response)
    {
        var status = response.StatusCode;
        var acceptable = State == SipTransactionState.Proceeding || (State == SipTransactionState.Accepted && status is >= 200 and < 300);
        if (!acceptable)
        {
            TransactionLog.ResponseRejected(Context.Logger, status, ToString(), State);
            return false;
        }

        var ok = await SendToWireAsync(response).ConfigureAwait(false);
        if (State == SipTransactionState.Accepted) return ok;
        LastResponse = response;
        if (status < 200)
        {
            if (!ok) TransactionLog.TransportError(Context.Logger, ToString());
            return ok;
        }

        if (status < 300)
        {
            State = SipTransactionState.Accepted;
            _timerL.Start(Timers.TransactionTimeout);
        }
        else
        {
            State = SipTransactionState.Completed;
            if (!IsReliable) _timerG.Start(Timers.T1);
            _timerH.Start(Timers.TransactionTimeout);
        }

        if (!ok)
        {
            // §17.2.4: a transport failure on a final response ends the transaction.
            TransactionLog.TransportError(Context.Logger, ToString());
            Terminate();
        }

        return ok;
    }
}
