namespace Intake.Media.Rtcp;

/// <summary>64-bit NTP timestamp (seconds since 1900 and a 32-bit fraction) as used in RTCP sender reports.</summary>
public readonly record struct NtpTimestamp(uint Seconds, uint Fraction)
{
    private static readonly DateTimeOffset s_epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The middle 32 bits, the unit of LSR and of round-trip arithmetic (1/65536 s).</summary>
    public uint Middle32 => (Seconds << 16) | (Fraction >> 16);

    /// <summary>Converts wall-clock time to NTP.</summary>
    public static NtpTimestamp FromDateTimeOffset(DateTimeOffset time)
    {
        var ticks = (time - s_epoch).Ticks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var remainder = ticks % TimeSpan.TicksPerSecond;
        var fraction = (uint)((ulong)remainder * (1UL << 32) / TimeSpan.TicksPerSecond);
        return new NtpTimestamp(unchecked((uint)seconds), fraction);
    }

    /// <summary>Converts a duration into the 1/65536 s units of DLSR.</summary>
    public static uint ToShortUnits(TimeSpan duration) =>
        duration <= TimeSpan.Zero ? 0 : (uint)Math.Min(uint.MaxValue, duration.Ticks * 65536 / TimeSpan.TicksPerSecond);

    /// <summary>Converts 1/65536 s units into milliseconds.</summary>
    public static double ShortUnitsToMilliseconds(uint units) => units * 1000.0 / 65536.0;
}
