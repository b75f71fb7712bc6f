using Intake.Acd.Decisions;
using Intake.Acd.Operators;
using Intake.Acd.Statistics;

namespace Intake.Acd.Engine;

/// <summary>Read-only views. Each brings the engine up to the clock first, so snapshots never show an expired deadline.</summary>
public sealed partial class AcdEngine
{
    /// <summary>Statistics of every queue, in configuration order.</summary>
    public IReadOnlyList<AcdQueueStatistics> GetStatistics()
    {
        lock (_gate)
        {
            BeginInput();
            var result = _queues.ConvertAll(SnapshotOf);
            EndInput();
            return result;
        }
    }

    /// <summary>Statistics of one queue, or null for an unknown name.</summary>
    public AcdQueueStatistics? GetQueueStatistics(string queueName)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        if (!_queuesByName.TryGetValue(queueName, out var queue))
        {
            return null;
        }

        lock (_gate)
        {
            BeginInput();
            var result = SnapshotOf(queue);
            EndInput();
            return result;
        }
    }

    /// <summary>Zeroes the counters (offered, answered, ASA, service level...) of every queue, e.g. at a shift change.</summary>
    public void ResetStatistics()
    {
        lock (_gate)
        {
            foreach (var queue in _queues)
            {
                queue.Statistics.Reset();
            }
        }
    }

    public IReadOnlyList<AcdOperatorSnapshot> GetOperators()
    {
        lock (_gate)
        {
            BeginInput();
            var result = _operators.ConvertAll(SnapshotOf);
            EndInput();
            return result;
        }
    }

    public AcdOperatorSnapshot? GetOperator(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (!_operatorsByName.TryGetValue(username, out var op))
        {
            return null;
        }

        lock (_gate)
        {
            BeginInput();
            var result = SnapshotOf(op);
            EndInput();
            return result;
        }
    }

    /// <summary>1-based position of a waiting call among its queue's unanswered calls (for hold announcements), or null.</summary>
    public int? GetQueuePosition(string callId)
    {
        ArgumentNullException.ThrowIfNull(callId);
        lock (_gate)
        {
            BeginInput();
            int? result = _calls.TryGetValue(callId, out var call) && !call.IsConnected ? PositionOf(call) : null;
            EndInput();
            return result;
        }
    }

    /// <summary>The most recent abandoned calls (oldest first), up to AbandonedHistoryLimit, for the call-back list.</summary>
    public IReadOnlyList<CallAbandoned> GetAbandonedCalls()
    {
        lock (_gate)
        {
            return [.. _abandoned];
        }
    }

    /// <summary>Checks the engine's internal consistency; an empty list means consistent. For tests.</summary>
    internal IReadOnlyList<string> CheckInvariants()
    {
        lock (_gate)
        {
            var problems = new List<string>();
            foreach (var op in _operators)
            {
                var ringing = op.State == AcdOperatorState.Ringing;
                if (ringing != (op.OfferedCall is not null))
                {
                    problems.Add($"{op.Username}: state {op.State} but offer {op.OfferedCall?.CallId ?? "none"}");
                }

                if (op.OfferedCall is { } offered && (!offered.Ringing.Contains(op) || !_waiting.Contains(offered)))
                {
                    problems.Add($"{op.Username}: offer {offered.CallId} not ringing in a waiting call");
                }

                if ((op.State == AcdOperatorState.OnCall) != (op.Call is not null))
                {
                    problems.Add($"{op.Username}: state {op.State} but call {op.Call?.CallId ?? "none"}");
                }
            }

            var offers = new HashSet<OperatorEntry>();
            foreach (var call in _waiting)
            {
                if (call.IsConnected || !_calls.ContainsKey(call.CallId))
                {
                    problems.Add($"{call.CallId}: waiting but connected or not held");
                }

                foreach (var op in call.Ringing)
                {
                    if (!offers.Add(op) || !ReferenceEquals(op.OfferedCall, call))
                    {
                        problems.Add($"{call.CallId}: ringing {op.Username} which has another offer");
                    }
                }
            }

            var connected = _calls.Values.Count(c => c.IsConnected);
            if (connected + _waiting.Count != _calls.Count)
            {
                problems.Add($"calls {_calls.Count} != waiting {_waiting.Count} + connected {connected}");
            }

            return problems;
        }
    }

    private AcdQueueStatistics SnapshotOf(QueueEntry queue)
    {
        var waiting = 0;
        var longest = TimeSpan.Zero;
        foreach (var call in _waiting)
        {
            if (ReferenceEquals(call.Queue, queue))
            {
                waiting++;
                var wait = _now - call.ArrivedAt;
                longest = wait > longest ? wait : longest;
            }
        }

        var byState = Enum.GetValues<AcdOperatorState>().ToDictionary(s => s, _ => 0);
        foreach (var member in queue.Members)
        {
            byState[member.Operator.State]++;
        }

        return queue.Statistics.Snapshot(queue.Name, waiting, longest, byState);
    }

    private static AcdOperatorSnapshot SnapshotOf(OperatorEntry op) => new(
        op.Username,
        op.DisplayName,
        op.State,
        op.Reason,
        op.StateSince,
        op.State == AcdOperatorState.LoggedOut ? null : op.IdleSince,
        op.OfferedCall?.CallId,
        op.Call?.CallId,
        op.Memberships.ConvertAll(m => m.Queue.Name));
}
