using Intake.Media.Codecs;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;

namespace Intake.Media.Prompts;

/// <summary>
/// An announcement converted once to 8 kHz mono and kept as ready-to-send 20 ms G.711
/// payloads in both laws, so playing it costs a copy per packet and nothing else.
/// </summary>
public sealed class Prompt
{
    private readonly byte[] _pcmu;
    private readonly byte[] _pcma;

    private Prompt(string name, short[] samples)
    {
        Name = name;
        FrameCount = Math.Max(1, (samples.Length + G711.SamplesPerFrame - 1) / G711.SamplesPerFrame);
        var padded = new short[FrameCount * G711.SamplesPerFrame];
        samples.CopyTo(padded, 0);
        _pcmu = new byte[padded.Length];
        _pcma = new byte[padded.Length];
        G711.Encode(AudioEncoding.Pcmu, padded, _pcmu);
        G711.Encode(AudioEncoding.Pcma, padded, _pcma);
        SampleCount = samples.Length;
    }

    /// <summary>Name (file name without extension, or given).</summary>
    public string Name { get; }

    /// <summary>Number of 20 ms frames (the last one padded with silence).</summary>
    public int FrameCount { get; }

    /// <summary>Samples of the original at 8 kHz.</summary>
    public int SampleCount { get; }

    /// <summary>Playing time.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(FrameCount * (double)G711.SamplesPerFrame / G711.ClockRate);

    /// <summary>The encoded 160-byte payload of frame <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> GetFrame(AudioEncoding encoding, int index) =>
        (encoding == AudioEncoding.Pcmu ? _pcmu : _pcma).AsSpan(index * G711.SamplesPerFrame, G711.SamplesPerFrame);

    /// <summary>Builds a prompt from 8 kHz mono samples.</summary>
    public static Prompt FromSamples(string name, short[] samples) => new(name, samples);

    /// <summary>
    /// Loads a WAV file of any PCM/IEEE-float rate and channel count, mixing down to mono and
    /// resampling to 8 kHz with NAudio.
    /// </summary>
    public static Prompt FromWaveFile(string path)
    {
        using var reader = new WaveFileReader(path);
        return FromWaveStream(Path.GetFileNameWithoutExtension(path), reader);
    }

    /// <summary>Same as <see cref="FromWaveFile"/> for an open WAV stream.</summary>
    public static Prompt FromWaveStream(string name, WaveStream wave)
    {
        ISampleProvider provider = wave.ToSampleProvider();
        if (provider.WaveFormat.Channels > 1)
        {
            provider = new MonoMixSampleProvider(provider);
        }

        if (provider.WaveFormat.SampleRate != G711.ClockRate)
        {
            provider = new WdlResamplingSampleProvider(provider, G711.ClockRate);
        }

        var samples = new List<short>(G711.ClockRate * 10);
        var buffer = new float[G711.ClockRate];
        int read;
        while ((read = provider.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                samples.Add((short)Math.Clamp(buffer[i] * 32767f, short.MinValue, short.MaxValue));
            }
        }

        return new Prompt(name, [.. samples]);
    }
}
