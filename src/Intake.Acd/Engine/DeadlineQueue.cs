namespace Intake.Acd.Engine;

/// <summary>Deadlines ordered by time, then by insertion, so equal deadlines are handled deterministically.</summary>
internal sealed class DeadlineQueue
{
    private readonly PriorityQueue<Deadline, (DateTimeOffset At, long Order)> _queue = new();
    private long _order;

    public int Count => _queue.Count;

    public void Add(Deadline deadline) => _queue.Enqueue(deadline, (deadline.At, _order++));

    public bool TryPeekTime(out DateTimeOffset at)
    {
        if (_queue.TryPeek(out var deadline, out _))
        {
            at = deadline.At;
            return true;
        }

        at = default;
        return false;
    }

    public bool TryDequeueDue(DateTimeOffset now, out Deadline deadline)
    {
        if (_queue.TryPeek(out deadline, out _) && deadline.At <= now)
        {
            _queue.Dequeue();
            return true;
        }

        deadline = default;
        return false;
    }
}
