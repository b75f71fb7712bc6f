using Intake.Media.Codecs;

namespace Intake.LoadGen;

/// <summary>
/// One 20 ms G.711 frame of a steady 500 Hz tone at about -12 dBFS: 500 Hz fits a whole number of periods into 160
/// samples, so every frame is the same and continuous with the next. The recording check of the load benchmark looks
/// for a peak above -35 dBFS, which the tone passes on both channels (the operator's echo carries it back).
/// </summary>
internal static class ToneFrame
{
    private const double FrequencyHz = 500;
    private const double Amplitude = 8000;

    /// <summary>A fresh copy of the encoded frame (160 bytes).</summary>
    public static byte[] Create(AudioEncoding encoding)
    {
        var linear = new short[G711.SamplesPerFrame];
        for (var i = 0; i < linear.Length; i++)
        {
            linear[i] = (short)Math.Round(Amplitude * Math.Sin(2 * Math.PI * FrequencyHz * i / G711.ClockRate));
        }

        var encoded = new byte[G711.SamplesPerFrame];
        G711.Encode(encoding, linear, encoded);
        return encoded;
    }
}
