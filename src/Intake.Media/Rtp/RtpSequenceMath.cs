namespace Intake.Media.Rtp;

/// <summary>Modular comparisons for 16-bit sequence numbers and 32-bit timestamps.</summary>
public static class RtpSequenceMath
{
    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/> across the 16-bit wrap.</summary>
    public static int SequenceDelta(ushort from, ushort to) => (short)(ushort)(to - from);

    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/> across the 32-bit wrap.</summary>
    public static int TimestampDelta(uint from, uint to) => unchecked((int)(to - from));

    /// <summary>True when <paramref name="a"/> is after <paramref name="b"/> in sequence order.</summary>
    public static bool IsNewerSequence(ushort a, ushort b) => SequenceDelta(b, a) > 0;

    /// <summary>True when <paramref name="a"/> is after <paramref name="b"/> in timestamp order.</summary>
    public static bool IsNewerTimestamp(uint a, uint b) => TimestampDelta(b, a) > 0;
}
