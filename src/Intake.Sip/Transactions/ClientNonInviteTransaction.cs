using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.1.2 client non-INVITE transaction: Timer E retransmits (T1 doubling, capped at T2; T2 once a
/// provisional arrived) over UDP, Timer F = 64*T1 times out, Timer K = T4 (zero on reliable transports) absorbs
/// response retransmissions.
/// </summary>
public sealed class ClientNonInviteTransaction : SipClientTransaction
{
    private readonly TransactionTimer _timerE;
    private readonly TransactionTimer _timerF;
    private readonly TransactionTimer _timerK;

    internal ClientNonInviteTransaction(SipRequest request, SipEndPoint destination, SipTransactionContext context, Action<SipResponse>? onProvisional)
        : base(request, destination, context, onProvisional)
    {
        State = SipTransactionState.Trying;
        _timerE = CreateTimer(SipTimer.E);
        _timerF = CreateTimer(SipTimer.F);
        _timerK = CreateTimer(SipTimer.K);
    }

    internal override async ValueTask StartAsync()
    {
        await RunAsync(static async self =>
        {
            if (!self.IsReliable) self._timerE.Start(self.Timers.T1);
            self._timerF.Start(self.Timers.TransactionTimeout);
            if (!await self.SendToWireAsync(self.Request).ConfigureAwait(false)) self.FailTransport();
            return true;
        }, this, false).ConfigureAwait(false);
    }

    internal override async ValueTask OnResponseAsync(SipResponse response)
    {
        var provisional = await RunAsync(static arg =>
        {
            var (self, r) = arg;
            if (self.State is not (SipTransactionState.Trying or SipTransactionState.Proceeding)) return ValueTask.FromResult(false);
            if (r.StatusCode < 200)
            {
                self.State = SipTransactionState.Proceeding;
                self.RecordProvisional(r);
                return ValueTask.FromResult(true);
            }

            self.State = SipTransactionState.Completed;
            self._timerE.Stop();
            self._timerF.Stop();
            self.CompleteWith(r);
            if (self.IsReliable) self.Terminate();
            else self._timerK.Start(self.Timers.T4);
            return ValueTask.FromResult(false);
        }, (this, response), false).ConfigureAwait(false);
        if (provisional) NotifyProvisional(response);
    }

    private protected override async ValueTask OnTimerAsync(SipTimer timer)
    {
        switch (timer)
        {
            case SipTimer.E when State is SipTransactionState.Trying or SipTransactionState.Proceeding:
                var next = State == SipTransactionState.Proceeding ? Timers.T2 : Double(_timerE.Interval, Timers.T2);
                _timerE.Start(next);
                if (!await SendToWireAsync(Request).ConfigureAwait(false)) FailTransport();
                break;
            case SipTimer.F when State is SipTransactionState.Trying or SipTransactionState.Proceeding:
                TransactionLog.TimedOut(Context.Logger, ToString(), timer);
                CompleteLocally(408);
                Terminate();
                break;
            case SipTimer.K when State == SipTransactionState.Completed:
                Terminate();
                break;
        }
    }

    private void FailTransport()
    {
        TransactionLog.TransportError(Context.Logger, ToString());
        CompleteLocally(503);
        Terminate();
    }
}
