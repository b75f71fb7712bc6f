namespace Intake.LoadGen;

/// <summary>
/// What came back to one call: every packet, the ones carrying this call's tag (its own audio, relayed to the operator,
/// echoed and relayed back), and the RFC 3550 §6.4.1 interarrival jitter of the tagged ones. Loss counts only from the
/// first tagged packet on (bridge start): before it the server plays prompts, and packets sent then are not relayed.
/// Written on one thread (the receiving one); read after it stopped.
/// </summary>
internal sealed class ReturnStatistics
{
    // A larger transit jump is a timestamp discontinuity (new stream after the bridge), not network jitter.
    private const double DiscontinuitySeconds = 0.5;

    private readonly int _callIndex;
    private readonly int _clockRate;
    private bool _hasPrevious;
    private double _previousArrival;
    private uint _previousTimestamp;
    private double _jitter;
    private double _jitterSum;

    public ReturnStatistics(int callIndex, int clockRate)
    {
        _callIndex = callIndex;
        _clockRate = clockRate;
    }

    /// <summary>Every datagram received on the call's socket.</summary>
    public long Received { get; private set; }

    /// <summary>Datagrams that were not RTP.</summary>
    public long Malformed { get; private set; }

    /// <summary>RTP packets carrying this call's tag.</summary>
    public long Tagged { get; private set; }

    /// <summary>RTP packets carrying another call's tag: audio crossed between calls.</summary>
    public long ForeignTagged { get; private set; }

    /// <summary>Counter of the first tagged packet that came back (bridge start); -1 before.</summary>
    public int FirstTaggedCounter { get; private set; } = -1;

    /// <summary>Tagged packets whose counter is at or after <see cref="FirstTaggedCounter"/>.</summary>
    public long TaggedSinceStart { get; private set; }

    /// <summary>Jitter samples (tagged packets after the first).</summary>
    public long JitterSamples { get; private set; }

    /// <summary>Mean of the running jitter estimate over the call, seconds.</summary>
    public double JitterMeanSeconds => JitterSamples == 0 ? 0 : _jitterSum / JitterSamples;

    /// <summary>Largest running jitter estimate, seconds.</summary>
    public double JitterMaxSeconds { get; private set; }

    /// <summary>Last running jitter estimate, seconds.</summary>
    public double JitterSeconds => _jitter;

    /// <summary>A datagram that did not parse as RTP.</summary>
    public void OnMalformed()
    {
        Received++;
        Malformed++;
    }

    /// <summary>An RTP packet received at <paramref name="arrivalSeconds"/> (any monotonic clock).</summary>
    public void OnPacket(double arrivalSeconds, uint rtpTimestamp, PacketTag? tag)
    {
        Received++;
        if (tag is not { } t)
        {
            return;
        }

        if (t.CallIndex != _callIndex)
        {
            ForeignTagged++;
            return;
        }

        Tagged++;
        if (FirstTaggedCounter < 0)
        {
            FirstTaggedCounter = t.Counter;
        }

        if (t.Counter >= FirstTaggedCounter)
        {
            TaggedSinceStart++;
        }

        if (_hasPrevious)
        {
            // D(i,j) = (Rj - Ri) - (Sj - Si), both in seconds; the timestamp difference is taken modulo 2^32.
            var transit = (arrivalSeconds - _previousArrival) - (int)(rtpTimestamp - _previousTimestamp) / (double)_clockRate;
            var d = Math.Abs(transit);
            if (d < DiscontinuitySeconds)
            {
                _jitter += (d - _jitter) / 16.0;
                _jitterSum += _jitter;
                JitterSamples++;
                JitterMaxSeconds = Math.Max(JitterMaxSeconds, _jitter);
            }
        }

        _hasPrevious = true;
        _previousArrival = arrivalSeconds;
        _previousTimestamp = rtpTimestamp;
    }

    /// <summary>Packets expected back since bridge start, given how many the call sent (counters 0 … sent-1).</summary>
    public long ExpectedSinceStart(long sent) => FirstTaggedCounter < 0 ? 0 : Math.Max(0, sent - FirstTaggedCounter);

    /// <summary>Relayed loss in percent since bridge start; null before any tagged packet came back.</summary>
    public double? LossPercent(long sent)
    {
        var expected = ExpectedSinceStart(sent);
        if (expected == 0)
        {
            return null;
        }

        return 100.0 * (1.0 - Math.Min(TaggedSinceStart, expected) / (double)expected);
    }
}
