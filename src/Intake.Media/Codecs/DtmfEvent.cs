namespace Intake.Media.Codecs;

/// <summary>One RFC 4733 telephone-event as reported by <see cref="DtmfDetector"/>.</summary>
/// <param name="Event">Event code (0-9 digits, 10 '*', 11 '#', 12-15 A-D, others as sent).</param>
/// <param name="Timestamp">RTP timestamp of the event, identical in all of its packets.</param>
/// <param name="Ssrc">SSRC of the stream that carried it.</param>
/// <param name="Volume">Power level in -dBm0 (0..63).</param>
/// <param name="Duration">Duration in timestamp units seen in the reporting packet.</param>
/// <param name="IsEnd">Whether the reporting packet already had the E bit.</param>
public readonly record struct DtmfEvent(byte Event, uint Timestamp, uint Ssrc, byte Volume, ushort Duration, bool IsEnd)
{
    /// <summary>The DTMF character of the event, or '?' for non-DTMF events.</summary>
    public char Digit => Event switch
    {
        <= 9 => (char)('0' + Event),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + Event - 12),
        _ => '?',
    };
}
