namespace Intake.Media.Recording;

/// <summary>
/// Maps one channel's RTP timestamps to sample positions of the recording. The mapping is
/// anchored on arrival time at the first packet and again after an SSRC change or when a
/// packet's timestamp strays from its arrival time by more than the jump threshold; between
/// anchors the timestamp alone decides, so jitter and reordering never move audio.
/// </summary>
internal sealed class StreamTimeline
{
    private readonly long _jumpThreshold;
    private bool _anchored;
    private uint _ssrc;
    private uint _anchorTimestamp;
    private long _anchorPosition;

    public StreamTimeline(long jumpThresholdSamples) => _jumpThreshold = jumpThresholdSamples;

    public int Reanchors { get; private set; }

    public long Position(uint ssrc, uint timestamp, long arrivalPosition)
    {
        if (_anchored && ssrc == _ssrc)
        {
            var position = _anchorPosition + unchecked((int)(timestamp - _anchorTimestamp));
            if (Math.Abs(position - arrivalPosition) <= _jumpThreshold)
            {
                return position;
            }
        }

        if (_anchored)
        {
            Reanchors++;
        }

        _anchored = true;
        _ssrc = ssrc;
        _anchorTimestamp = timestamp;
        _anchorPosition = arrivalPosition;
        return arrivalPosition;
    }
}
