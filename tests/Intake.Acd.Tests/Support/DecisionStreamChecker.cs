using Intake.Acd.Decisions;
using Intake.Acd.Operators;

namespace Intake.Acd.Tests.Support;

/// <summary>
/// Replays a decision stream and reports every violation of the ACD's promises, judged from the stream alone:
/// sequences and timestamps ordered, state changes chained, an operator never holds two offers, offers only go to live
/// calls, every call reaches at most one terminal outcome (completed, abandoned, overflowed).
/// </summary>
internal sealed class DecisionStreamChecker
{
    private readonly Dictionary<string, AcdOperatorState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _answering = new(StringComparer.Ordinal);
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _connected = new(StringComparer.Ordinal);
    private long _lastSequence;
    private DateTimeOffset _lastTimestamp;

    public List<string> Violations { get; } = [];

    public Dictionary<string, int> TerminalCounts { get; } = new(StringComparer.Ordinal);

    public int OfferCount { get; private set; }

    public int Waiting => _waiting.Count;

    public int Connected => _connected.Count;

    public void Apply(IEnumerable<AcdDecision> decisions)
    {
        foreach (var decision in decisions)
        {
            Apply(decision);
        }
    }

    public void Apply(AcdDecision decision)
    {
        Check(decision.Sequence == _lastSequence + 1, $"sequence {decision.Sequence} after {_lastSequence}");
        Check(decision.Timestamp >= _lastTimestamp, $"#{decision.Sequence} timestamp went back");
        _lastSequence = decision.Sequence;
        _lastTimestamp = decision.Timestamp;

        switch (decision)
        {
            case OperatorStateChanged change:
                var old = _states.GetValueOrDefault(change.Operator, AcdOperatorState.LoggedOut);
                Check(old == change.Old, $"#{decision.Sequence} {change.Operator}: old {change.Old} but was {old}");
                if (change.Old == AcdOperatorState.Ringing && change.New != AcdOperatorState.Ringing)
                {
                    if (change.New == AcdOperatorState.OnCall && _offers.TryGetValue(change.Operator, out var answered))
                    {
                        _answering[change.Operator] = answered;
                    }

                    _offers.Remove(change.Operator);
                }

                _states[change.Operator] = change.New;
                break;
            case CallQueued queued:
                Check(!TerminalCounts.ContainsKey(queued.CallId) && _waiting.Add(queued.CallId), $"#{decision.Sequence} {queued.CallId} queued twice");
                break;
            case OfferCall offer:
                OfferCount++;
                Check(_waiting.Contains(offer.CallId), $"#{decision.Sequence} offer of {offer.CallId} which is not waiting");
                Check(offer.Operators.Count > 0 && offer.Operators.Distinct().Count() == offer.Operators.Count, $"#{decision.Sequence} bad operator list");
                foreach (var op in offer.Operators)
                {
                    Check(_states.GetValueOrDefault(op) == AcdOperatorState.Ringing, $"#{decision.Sequence} {op} offered while not ringing");
                    Check(_offers.TryAdd(op, offer.CallId), $"#{decision.Sequence} {op} got a second offer {offer.CallId} while holding {_offers.GetValueOrDefault(op)}");
                }

                break;
            case CancelOffer cancel:
                Check(_offers.TryGetValue(cancel.Operator, out var held) && held == cancel.CallId, $"#{decision.Sequence} cancel of an offer {cancel.Operator} does not hold");
                _offers.Remove(cancel.Operator);
                break;
            case CallConnected connected:
                Check(_answering.Remove(connected.Operator, out var call) && call == connected.CallId, $"#{decision.Sequence} {connected.Operator} connected to {connected.CallId} without its offer");
                Check(_waiting.Remove(connected.CallId) && _connected.Add(connected.CallId), $"#{decision.Sequence} {connected.CallId} connected while not waiting");
                break;
            case CallCompleted completed:
                Check(_connected.Remove(completed.CallId), $"#{decision.Sequence} {completed.CallId} completed without connection");
                Terminal(completed.CallId, decision.Sequence);
                break;
            case CallAbandoned abandoned:
                Check(_waiting.Remove(abandoned.CallId), $"#{decision.Sequence} {abandoned.CallId} abandoned while not waiting");
                Terminal(abandoned.CallId, decision.Sequence);
                break;
            case OverflowCall overflow:
                // Overflow at arrival happens without CallQueued.
                _waiting.Remove(overflow.CallId);
                Check(!_connected.Contains(overflow.CallId), $"#{decision.Sequence} {overflow.CallId} overflowed while connected");
                Terminal(overflow.CallId, decision.Sequence);
                break;
        }
    }

    /// <summary>At quiescence every ringing operator must hold exactly one offer, and nobody else any.</summary>
    public void CheckQuiescent()
    {
        foreach (var (op, state) in _states)
        {
            Check((state == AcdOperatorState.Ringing) == _offers.ContainsKey(op), $"{op}: {state} with offer {_offers.GetValueOrDefault(op) ?? "none"}");
        }
    }

    private void Terminal(string callId, long sequence)
    {
        var count = TerminalCounts.GetValueOrDefault(callId) + 1;
        TerminalCounts[callId] = count;
        Check(count == 1, $"#{sequence} {callId} reached a second terminal outcome");
    }

    private void Check(bool condition, string violation)
    {
        if (!condition)
        {
            Violations.Add(violation);
        }
    }
}
