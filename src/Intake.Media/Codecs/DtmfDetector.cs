namespace Intake.Media.Codecs;

/// <summary>
/// Turns a stream of RFC 4733 packets into one report per event. An event is identified by
/// its RTP timestamp (and SSRC): every packet of an event, including the three usual
/// retransmissions of the end packet, carries the same timestamp, so only the first packet
/// seen for a timestamp produces a report. Not thread-safe: feed it from one receive loop.
/// </summary>
public sealed class DtmfDetector
{
    private const int RememberedEvents = 8;
    private readonly (uint Ssrc, uint Timestamp)[] _recent = new (uint, uint)[RememberedEvents];
    private int _recentCount;
    private int _next;

    /// <summary>Number of packets that belonged to an event already reported.</summary>
    public long DuplicatePackets { get; private set; }

    /// <summary>Number of packets too short to hold an event.</summary>
    public long MalformedPackets { get; private set; }

    /// <summary>
    /// Feeds one telephone-event payload. Returns true with the event when it is the first
    /// packet of a new event.
    /// </summary>
    public bool TryDetect(uint ssrc, uint timestamp, ReadOnlySpan<byte> payload, out DtmfEvent dtmf)
    {
        dtmf = default;
        if (!TelephoneEventPayload.TryParse(payload, out var block))
        {
            MalformedPackets++;
            return false;
        }

        // A small ring of recent event ids is enough: retransmissions of an event arrive within
        // a few packets of each other, and reordering across more than eight events is not seen.
        for (var i = 0; i < _recentCount; i++)
        {
            if (_recent[i].Ssrc == ssrc && _recent[i].Timestamp == timestamp)
            {
                DuplicatePackets++;
                return false;
            }
        }

        _recent[_next] = (ssrc, timestamp);
        _next = (_next + 1) % RememberedEvents;
        _recentCount = Math.Min(_recentCount + 1, RememberedEvents);
        dtmf = new DtmfEvent(block.Event, timestamp, ssrc, block.Volume, block.Duration, block.End);
        return true;
    }
}
