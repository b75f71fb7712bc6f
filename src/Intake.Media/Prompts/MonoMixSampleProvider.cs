using NAudio.Wave;

namespace Intake.Media.Prompts;

/// <summary>Averages any number of interleaved channels into one (NAudio's own mixer only handles stereo).</summary>
internal sealed class MonoMixSampleProvider : ISampleProvider
{
    private readonly ISampleProvider _source;
    private readonly int _channels;
    private float[] _buffer = [];

    public MonoMixSampleProvider(ISampleProvider source)
    {
        _source = source;
        _channels = source.WaveFormat.Channels;
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(source.WaveFormat.SampleRate, 1);
    }

    public WaveFormat WaveFormat { get; }

    public int Read(float[] buffer, int offset, int count)
    {
        var needed = count * _channels;
        if (_buffer.Length < needed)
        {
            _buffer = new float[needed];
        }

        var read = _source.Read(_buffer, 0, needed) / _channels;
        for (var i = 0; i < read; i++)
        {
            var sum = 0f;
            for (var c = 0; c < _channels; c++)
            {
                sum += _buffer[(i * _channels) + c];
            }

            buffer[offset + i] = sum / _channels;
        }

        return read;
    }
}
