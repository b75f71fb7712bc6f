namespace Intake.Media.Rtp;

/// <summary>
/// Reception statistics of one RTP source: extended sequence numbers (RFC 3550 A.1),
/// loss, duplicates, reordering and interarrival jitter (RFC 3550 A.8). A change of SSRC
/// starts a new source; the loss of earlier sources is kept in <see cref="PreviousSourcesLost"/>.
/// Not thread-safe: one receive loop feeds it, snapshots are taken under the session's lock.
/// </summary>
public sealed class RtpReceiveStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int SeqModulus = 1 << 16;
    private const int HistoryBits = 128;

    private readonly int _clockRate;
    private readonly ulong[] _history = new ulong[HistoryBits / 64];
    private ushort _maxSeq;
    private long _cycles;
    private long _baseSeq;
    private int _badSeq = SeqModulus + 1;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _transitBase;
    private bool _haveTransit;
    private int _lastTransit;
    private uint _jitterScaled;
    private bool _haveSource;

    /// <summary>Creates statistics for a stream with the given RTP clock rate.</summary>
    public RtpReceiveStatistics(int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        _clockRate = clockRate;
    }

    /// <summary>SSRC of the current source (valid once <see cref="HasSource"/>).</summary>
    public uint Ssrc { get; private set; }

    /// <summary>Whether any packet was accepted.</summary>
    public bool HasSource => _haveSource;

    /// <summary>Packets accepted from the current source, duplicates excluded.</summary>
    public long Received => _received;

    /// <summary>Duplicated packets over all sources.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Packets that arrived after a later sequence number, over all sources.</summary>
    public long Reordered { get; private set; }

    /// <summary>Number of SSRC changes after the first source.</summary>
    public int SourceChanges { get; private set; }

    /// <summary>Loss accumulated by sources before the current one.</summary>
    public long PreviousSourcesLost { get; private set; }

    /// <summary>Extended highest sequence number received (cycles + max sequence).</summary>
    public long ExtendedHighestSequence => _cycles + _maxSeq;

    /// <summary>Packets expected from the current source.</summary>
    public long Expected => _haveSource ? ExtendedHighestSequence - _baseSeq + 1 : 0;

    /// <summary>Cumulative packets lost from the current source (negative when duplicates slipped past the window).</summary>
    public long Lost => Expected - _received;

    /// <summary>Loss over all sources, never negative.</summary>
    public long TotalLost => PreviousSourcesLost + Math.Max(0, Lost);

    /// <summary>Interarrival jitter in timestamp units (the RFC 3550 value put in a report block).</summary>
    public uint Jitter => _jitterScaled >> 4;

    /// <summary>Interarrival jitter in milliseconds.</summary>
    public double JitterMilliseconds => Jitter * 1000.0 / _clockRate;

    /// <summary>
    /// Accounts one packet. <paramref name="arrivalRtpUnits"/> is the arrival time expressed in
    /// the stream's clock units (any origin, may wrap); <paramref name="includeInJitter"/> is false
    /// for packets whose timestamp does not follow the audio clock (telephone-event).
    /// </summary>
    public RtpPacketOutcome Update(uint ssrc, ushort seq, uint timestamp, long arrivalRtpUnits, bool includeInJitter)
    {
        if (!_haveSource || ssrc != Ssrc)
        {
            if (_haveSource)
            {
                PreviousSourcesLost += Math.Max(0, Lost);
                SourceChanges++;
            }

            StartSource(ssrc, seq);
            UpdateJitter(timestamp, arrivalRtpUnits, includeInJitter);
            return RtpPacketOutcome.NewSource;
        }

        var udelta = (ushort)(seq - _maxSeq);
        RtpPacketOutcome outcome;
        if (udelta == 0)
        {
            Duplicates++;
            return RtpPacketOutcome.Duplicate;
        }

        if (udelta < MaxDropout)
        {
            var previousHighest = ExtendedHighestSequence;
            if (seq < _maxSeq)
            {
                _cycles += SeqModulus;
            }

            _maxSeq = seq;
            AdvanceHistory(previousHighest, udelta);
            outcome = RtpPacketOutcome.InOrder;
        }
        else if (udelta <= SeqModulus - MaxMisorder)
        {
            // A very large jump: either the sender restarted its sequence or this is a stray
            // packet. Only a second packet continuing from it confirms a restart (A.1).
            if (seq != _badSeq)
            {
                _badSeq = (seq + 1) & (SeqModulus - 1);
                return RtpPacketOutcome.Discarded;
            }

            PreviousSourcesLost += Math.Max(0, Lost);
            StartSource(ssrc, seq);
            UpdateJitter(timestamp, arrivalRtpUnits, includeInJitter);
            return RtpPacketOutcome.InOrder;
        }
        else
        {
            var behind = (ushort)(_maxSeq - seq);
            if (behind < HistoryBits)
            {
                if (TestAndSet(ExtendedHighestSequence - behind))
                {
                    Duplicates++;
                    return RtpPacketOutcome.Duplicate;
                }
            }

            Reordered++;
            outcome = RtpPacketOutcome.Reordered;
        }

        _received++;
        UpdateJitter(timestamp, arrivalRtpUnits, includeInJitter);
        return outcome;
    }

    /// <summary>
    /// Fraction lost since the previous call, as the 8-bit fixed-point value of a report block
    /// (RFC 3550 A.3); also moves the interval start.
    /// </summary>
    public byte TakeFractionLost()
    {
        var expected = Expected;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0)
        {
            return 0;
        }

        return (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }

    private void StartSource(uint ssrc, ushort seq)
    {
        _haveSource = true;
        Ssrc = ssrc;
        _maxSeq = seq;
        _cycles = 0;
        _baseSeq = seq;
        _badSeq = SeqModulus + 1;
        _received = 1;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _haveTransit = false;
        _jitterScaled = 0;
        Array.Clear(_history);
        TestAndSet(seq);
    }

    private void UpdateJitter(uint timestamp, long arrivalRtpUnits, bool include)
    {
        if (!include)
        {
            return;
        }

        if (!_haveTransit)
        {
            // Transit times are only ever compared with each other, so a per-source origin
            // keeps the arithmetic small without changing any difference.
            _transitBase = arrivalRtpUnits;
        }

        var transit = unchecked((int)(uint)(arrivalRtpUnits - _transitBase) - (int)timestamp);
        if (_haveTransit)
        {
            var d = unchecked(transit - _lastTransit);
            if (d < 0)
            {
                d = -d;
            }

            // RFC 3550 A.8 integer form: J is kept scaled by 16, J += |D| - J/16 (rounded).
            _jitterScaled = unchecked((uint)(_jitterScaled + d - ((_jitterScaled + 8) >> 4)));
        }

        _lastTransit = transit;
        _haveTransit = true;
    }

    private void AdvanceHistory(long previousHighest, int steps)
    {
        if (steps >= HistoryBits)
        {
            Array.Clear(_history);
        }
        else
        {
            for (var i = 1; i < steps; i++)
            {
                Clear(previousHighest + i);
            }
        }

        // Setting the bit also forgets whatever sequence number last used this slot.
        Clear(previousHighest + steps);
        TestAndSet(previousHighest + steps);
    }

    private bool TestAndSet(long extendedSeq)
    {
        var bit = (int)(extendedSeq & (HistoryBits - 1));
        var mask = 1UL << (bit & 63);
        ref var word = ref _history[bit >> 6];
        var was = (word & mask) != 0;
        word |= mask;
        return was;
    }

    private void Clear(long extendedSeq)
    {
        var bit = (int)(extendedSeq & (HistoryBits - 1));
        _history[bit >> 6] &= ~(1UL << (bit & 63));
    }
}
