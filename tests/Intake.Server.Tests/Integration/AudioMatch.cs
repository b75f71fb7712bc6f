namespace Intake.Server.Tests.Integration;

/// <summary>Compares a recorded channel with the signal that was sent into the call.</summary>
public static class AudioMatch
{
    /// <summary>Root mean square of a range of samples.</summary>
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Index of the first sample whose magnitude exceeds <paramref name="threshold"/>, or -1.</summary>
    public static int Onset(ReadOnlySpan<short> samples, int threshold = 0)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            if (Math.Abs((int)samples[i]) > threshold)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The best normalised cross-correlation of <paramref name="reference"/> against <paramref name="recorded"/> over the
    /// lags <paramref name="fromLag"/>..<paramref name="toLag"/> (where the reference starts in the recording; negative when
    /// the recording misses its beginning), computed over the overlap, and that lag.
    /// </summary>
    public static (double Correlation, int Lag) BestCorrelation(short[] reference, short[] recorded, int fromLag, int toLag)
    {
        var best = (Correlation: double.MinValue, Lag: fromLag);
        for (var lag = fromLag; lag <= toLag; lag++)
        {
            double cross = 0;
            double referenceEnergy = 0;
            double recordedEnergy = 0;
            var end = Math.Min(reference.Length, recorded.Length - lag);
            for (var i = Math.Max(0, -lag); i < end; i++)
            {
                double a = reference[i];
                double b = recorded[lag + i];
                cross += a * b;
                referenceEnergy += a * a;
                recordedEnergy += b * b;
            }

            var ncc = referenceEnergy > 0 && recordedEnergy > 0 ? cross / Math.Sqrt(referenceEnergy * recordedEnergy) : 0;
            if (ncc > best.Correlation)
            {
                best = (ncc, lag);
            }
        }

        return best;
    }
}
