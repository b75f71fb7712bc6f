using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Transactions;

/// <summary>
/// RFC 3261 §17.1.1 client INVITE transaction with RFC 6026's Accepted state. Timer A retransmits over UDP
/// (T1 doubling, no cap), Timer B = 64*T1 times out in Calling. A non-2xx final response is ACKed here (§17.1.1.3)
/// and Timer D (32 s on UDP, zero on reliable) absorbs its retransmissions. A 2xx goes to the TU, which ACKs it
/// through the dialog; later 2xx (retransmissions or forks) are handed to the core during Timer M.
/// </summary>
public sealed class ClientInviteTransaction : SipClientTransaction
{
    private readonly TransactionTimer _timerA;
    private readonly TransactionTimer _timerB;
    private readonly TransactionTimer _timerD;
    private readonly TransactionTimer _timerM;
    private readonly TaskCompletionSource<SipResponse> _firstResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SipRequest? _ack;

    internal ClientInviteTransaction(SipRequest request, SipEndPoint destination, SipTransactionContext context, Action<SipResponse>? onProvisional)
        : base(request, destination, context, onProvisional)
    {
        State = SipTransactionState.Calling;
        _timerA = CreateTimer(SipTimer.A);
        _timerB = CreateTimer(SipTimer.B);
        _timerD = CreateTimer(SipTimer.D);
        _timerM = CreateTimer(SipTimer.M);
    }

    /// <summary>Completes with the first response of any class (a CANCEL may only be sent after one, §9.1).</summary>
    internal Task<SipResponse> FirstResponse => _firstResponse.Task;

    /// <summary>Builds the CANCEL for this INVITE (§9.1): same Request-URI, Call-ID, From, To, CSeq number, top Via and Route.</summary>
    public SipRequest CreateCancel()
    {
        var cancel = new SipRequest(SipMethods.Cancel, Request.RequestUri);
        CopyCommonHeaders(cancel, Request.Headers.Get(HeaderId.To)!);
        cancel.Headers.Add("CSeq", new SipCSeq(Request.CSeq!.Value.Number, SipMethods.Cancel).ToString());
        return cancel;
    }

    internal override async ValueTask StartAsync()
    {
        await RunAsync(static async self =>
        {
            if (!self.IsReliable) self._timerA.Start(self.Timers.T1);
            self._timerB.Start(self.Timers.TransactionTimeout);
            if (!await self.SendToWireAsync(self.Request).ConfigureAwait(false)) self.FailTransport();
            return true;
        }, this, false).ConfigureAwait(false);
    }

    internal override async ValueTask OnResponseAsync(SipResponse response)
    {
        var outcome = await RunAsync(static arg => arg.Self.HandleResponseAsync(arg.Response), (Self: this, Response: response), Outcome.None)
            .ConfigureAwait(false);
        switch (outcome)
        {
            case Outcome.Provisional:
                NotifyProvisional(response);
                break;
            case Outcome.AdditionalSuccess when Context.AdditionalSuccessResponse is { } hook:
                await hook(this, response).ConfigureAwait(false);
                break;
        }
    }

    private protected override async ValueTask OnTimerAsync(SipTimer timer)
    {
        switch (timer)
        {
            case SipTimer.A when State == SipTransactionState.Calling:
                _timerA.Start(_timerA.Interval * 2);
                if (!await SendToWireAsync(Request).ConfigureAwait(false)) FailTransport();
                break;
            case SipTimer.B when State == SipTransactionState.Calling:
                TransactionLog.TimedOut(Context.Logger, ToString(), timer);
                _firstResponse.TrySetResult(CompleteLocally(408));
                Terminate();
                break;
            case SipTimer.D when State == SipTransactionState.Completed:
            case SipTimer.M when State == SipTransactionState.Accepted:
                Terminate();
                break;
        }
    }

    private async ValueTask<Outcome> HandleResponseAsync(SipResponse response)
    {
        var status = response.StatusCode;
        switch (State)
        {
            case SipTransactionState.Calling or SipTransactionState.Proceeding:
                _firstResponse.TrySetResult(response);
                _timerA.Stop();
                _timerB.Stop();
                if (status < 200)
                {
                    State = SipTransactionState.Proceeding;
                    RecordProvisional(response);
                    return Outcome.Provisional;
                }

                if (status < 300)
                {
                    State = SipTransactionState.Accepted;
                    _timerM.Start(Timers.TransactionTimeout);
                    CompleteWith(response);
                    return Outcome.None;
                }

                State = SipTransactionState.Completed;
                _ack = CreateAckForFailure(response);
                CompleteWith(response);
                if (IsReliable) Terminate();
                else _timerD.Start(Timers.TimerDUnreliable);
                await SendToWireAsync(_ack).ConfigureAwait(false);
                return Outcome.None;
            case SipTransactionState.Completed when status >= 300 && _ack is not null:
                await SendToWireAsync(_ack).ConfigureAwait(false);
                return Outcome.None;
            case SipTransactionState.Accepted when status is >= 200 and < 300:
                return Outcome.AdditionalSuccess;
            default:
                return Outcome.None;
        }
    }

    /// <summary>§17.1.1.3: the ACK for a non-2xx final response, built by the transaction itself.</summary>
    private SipRequest CreateAckForFailure(SipResponse response)
    {
        var ack = new SipRequest(SipMethods.Ack, Request.RequestUri);
        CopyCommonHeaders(ack, response.Headers.Get(HeaderId.To) ?? Request.Headers.Get(HeaderId.To)!);
        ack.Headers.Add("CSeq", new SipCSeq(Request.CSeq!.Value.Number, SipMethods.Ack).ToString());
        return ack;
    }

    private void CopyCommonHeaders(SipRequest target, string to)
    {
        target.Headers.Add("Via", Request.TopVia!.ToString());
        foreach (var route in Request.Headers.GetAll(HeaderId.Route)) target.Headers.Add("Route", route);
        target.Headers.Add("Max-Forwards", "70");
        target.Headers.Add("From", Request.Headers.Get(HeaderId.From)!);
        target.Headers.Add("To", to);
        target.Headers.Add("Call-ID", Request.CallId!);
    }

    private void FailTransport()
    {
        TransactionLog.TransportError(Context.Logger, ToString());
        _firstResponse.TrySetResult(CompleteLocally(503));
        Terminate();
    }

    private enum Outcome
    {
        None,
        Provisional,
        AdditionalSuccess,
    }
}
