using Intake.Contracts.V1;

namespace Intake.Server.Events;

/// <summary>
/// One stored event: the <see cref="CallEvent"/> with its sequence and time assigned, plus the call's queue so that
/// readers can filter by queue without knowing every call (only <c>offered</c> and <c>queued</c> carry a queue).
/// </summary>
/// <remarks>The event is shared by every reader: treat it as immutable.</remarks>
public sealed class CallEventRecord
{
    public CallEventRecord(CallEvent evt, string queue)
    {
        ArgumentNullException.ThrowIfNull(evt);
        Event = evt;
        Queue = queue ?? string.Empty;
        Kind = CallEventKinds.NameOf(evt.KindCase);
    }

    public ulong Sequence => Event.Sequence;

    public CallEvent Event { get; }

    /// <summary>The queue of the event's call as known when the event was stored; empty for operator events.</summary>
    public string Queue { get; }

    /// <summary>The oneof field name, e.g. "offered", "ended".</summary>
    public string Kind { get; }
}
