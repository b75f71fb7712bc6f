using Intake.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transactions;

/// <summary>
/// Common machinery of the four RFC 3261 §17 state machines. Every event (message, send request, timer) runs
/// under one asynchronous gate, so a transaction processes one event at a time; timers only post events.
/// </summary>
public abstract class SipTransaction
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<TransactionTimer> _timers = [];

    private protected SipTransaction(SipRequest request, bool isReliable, SipTransactionContext context)
    {
        Request = request;
        IsReliable = isReliable;
        Context = context;
    }

    /// <summary>The request that created the transaction.</summary>
    public SipRequest Request { get; }

    /// <summary>True over TCP/TLS: no retransmission timers and zero-length wait states.</summary>
    public bool IsReliable { get; }

    public SipTransactionState State { get; private protected set; }

    /// <summary>Completes when the transaction reaches Terminated.</summary>
    public Task Completion => _terminated.Task;

    private protected SipTransactionContext Context { get; }

    private protected SipTimerOptions Timers => Context.Timers;

    private protected TransactionTimer CreateTimer(SipTimer kind)
    {
        var timer = new TransactionTimer(kind, Context.Time, OnTimerFired);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Runs one event under the gate; exceptions are logged, never thrown into timer threads.</summary>
    private protected async ValueTask<T> RunAsync<T, TArg>(Func<TArg, ValueTask<T>> handler, TArg argument, T onFailure)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await handler(argument).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            TransactionLog.EventFailed(Context.Logger, ToString(), ex);
            return onFailure;
        }
        finally
        {
            _gate.Release();
        }
    }

    private protected abstract ValueTask OnTimerAsync(SipTimer timer);

    /// <summary>Short description for logs.</summary>
    public abstract override string ToString();

    /// <summary>Enters Terminated: stops every timer and leaves the layer's tables. Call under the gate.</summary>
    private protected void Terminate()
    {
        if (State == SipTransactionState.Terminated) return;
        State = SipTransactionState.Terminated;
        foreach (var timer in _timers) timer.Stop();
        Context.Terminated?.Invoke(this);
        _terminated.TrySetResult();
    }

    /// <summary>Next retransmission interval: doubled, optionally capped (T2).</summary>
    private protected static TimeSpan Double(TimeSpan interval, TimeSpan? cap)
    {
        var next = interval * 2;
        return cap is { } max && next > max ? max : next;
    }

    private void OnTimerFired(TransactionTimer timer, int generation) => _ = FireAsync(timer, generation);

    private async Task FireAsync(TransactionTimer timer, int generation)
    {
        try
        {
            await RunAsync(static async arg =>
            {
                var (self, t, gen) = arg;
                if (self.State == SipTransactionState.Terminated || !t.IsCurrent(gen)) return false;
                TransactionLog.TimerFired(self.Context.Logger, t.Kind, self.ToString());
                await self.OnTimerAsync(t.Kind).ConfigureAwait(false);
                return true;
            }, (this, timer, generation), false).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            TransactionLog.EventFailed(Context.Logger, ToString(), ex);
        }
    }
}
