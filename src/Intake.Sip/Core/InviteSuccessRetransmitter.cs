using Intake.Sip.Dialogs;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Core;

/// <summary>
/// RFC 3261 §13.3.1.4: the UAS core re-sends a 2xx to INVITE at T1, 2*T1, ... capped at T2 until the ACK
/// arrives; after 64*T1 without ACK it reports a timeout so the dialog can be ended with BYE.
/// </summary>
internal sealed class InviteSuccessRetransmitter : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SipResponse _response;
    private readonly SipResponseRoute _route;
    private readonly ISipMessageSink _sink;
    private readonly SipTimerOptions _timers;
    private readonly Func<InviteSuccessRetransmitter, ValueTask> _onTimeout;
    private readonly ILogger _logger;
    private readonly ITimer _retransmitTimer;
    private readonly ITimer _timeoutTimer;
    private TimeSpan _interval;
    private bool _stopped;

    public InviteSuccessRetransmitter(DialogId dialogId, SipResponse response, SipResponseRoute route, ISipMessageSink sink,
        SipTimerOptions timers, TimeProvider time, Func<InviteSuccessRetransmitter, ValueTask> onTimeout, ILogger logger)
    {
        DialogId = dialogId;
        InviteSequence = response.CSeq?.Number ?? 0;
        _response = response;
        _route = route;
        _sink = sink;
        _timers = timers;
        _onTimeout = onTimeout;
        _logger = logger;
        _retransmitTimer = time.CreateTimer(static s => ((InviteSuccessRetransmitter)s!).OnRetransmit(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timeoutTimer = time.CreateTimer(static s => ((InviteSuccessRetransmitter)s!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public DialogId DialogId { get; }

    /// <summary>CSeq number of the INVITE; only an ACK with this number stops the retransmissions.</summary>
    public uint InviteSequence { get; }

    public int Retransmissions { get; private set; }

    public void Start()
    {
        lock (_lock)
        {
            _interval = _timers.T1;
            _retransmitTimer.Change(_interval, Timeout.InfiniteTimeSpan);
            _timeoutTimer.Change(_timers.TransactionTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops on the matching ACK; false when the ACK is for another INVITE of the dialog.</summary>
    public bool Acknowledge(uint ackSequence)
    {
        if (ackSequence != InviteSequence) return false;
        Dispose();
        return true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            _retransmitTimer.Dispose();
            _timeoutTimer.Dispose();
        }
    }

    private void OnRetransmit() => _ = RetransmitAsync();

    private async Task RetransmitAsync()
    {
        try
        {
            lock (_lock)
            {
                if (_stopped) return;
                Retransmissions++;
                _interval = _interval * 2 > _timers.T2 ? _timers.T2 : _interval * 2;
                _retransmitTimer.Change(_interval, Timeout.InfiniteTimeSpan);
            }

            await _sink.SendAsync(_response, _route.Destination, _route.ConnectionId).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StackLog.BackgroundFailure(_logger, "2xx retransmission", ex);
        }
    }

    private void OnTimeout() => _ = TimeoutAsync();

    private async Task TimeoutAsync()
    {
        try
        {
            lock (_lock)
            {
                if (_stopped) return;
            }

            Dispose();
            await _onTimeout(this).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            StackLog.BackgroundFailure(_logger, "2xx ACK timeout", ex);
        }
    }
}
