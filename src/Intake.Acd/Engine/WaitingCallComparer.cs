namespace Intake.Acd.Engine;

/// <summary>Service order across the whole centre: queue priority (higher first), then arrival, then sequence.</summary>
internal sealed class WaitingCallComparer : IComparer<CallEntry>
{
    public static WaitingCallComparer Instance { get; } = new();

    public int Compare(CallEntry? x, CallEntry? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var byPriority = y.Queue.Priority.CompareTo(x.Queue.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byArrival = x.ArrivedAt.CompareTo(y.ArrivedAt);
        return byArrival != 0 ? byArrival : x.Sequence.CompareTo(y.Sequence);
    }
}
