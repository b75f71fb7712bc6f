namespace Intake.Acd.Engine;

/// <summary>A call the ACD holds: waiting (queued or ringing) until an operator answers, then connected.</summary>
internal sealed class CallEntry(string callId, QueueEntry queue, string? callerNumber, DateTimeOffset arrivedAt, long sequence)
{
    public string CallId { get; } = callId;

    public QueueEntry Queue { get; } = queue;

    public string? CallerNumber { get; } = callerNumber;

    public DateTimeOffset ArrivedAt { get; } = arrivedAt;

    /// <summary>Arrival order among calls with the same arrival time.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Operators ringing for this call right now.</summary>
    public List<OperatorEntry> Ringing { get; } = [];

    /// <summary>Set when max wait passed while ringing: the call overflows as soon as its last offer is lost.</summary>
    public bool MaxWaitPassed { get; set; }

    public OperatorEntry? ConnectedOperator { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }

    public bool IsConnected => ConnectedOperator is not null;
}
