using Intake.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Transactions;

/// <summary>What every transaction of one layer shares: the wire, the clock, the timer values and the layer's hooks.</summary>
internal sealed class SipTransactionContext
{
    public SipTransactionContext(ISipMessageSink sink, SipTimerOptions timers, TimeProvider time, ILogger logger)
    {
        Sink = sink;
        Timers = timers;
        Time = time;
        Logger = logger;
    }

    public ISipMessageSink Sink { get; }

    public SipTimerOptions Timers { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Removes a terminated transaction from the layer's tables.</summary>
    public Action<SipTransaction>? Terminated { get; set; }

    /// <summary>Called (outside the transaction's lock) after a server transaction sent a final response.</summary>
    public Func<SipServerTransaction, SipResponse, ValueTask>? FinalResponseSent { get; set; }

    /// <summary>Called (outside the lock) for each 2xx a client INVITE transaction receives after its first one.</summary>
    public Func<ClientInviteTransaction, SipResponse, ValueTask>? AdditionalSuccessResponse { get; set; }
}
