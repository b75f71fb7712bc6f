using System.Buffers.Binary;
using NAudio.Wave;

namespace Intake.Server.Tests.Integration;

/// <summary>A call recording as the test sees it: the RIFF layout checked by hand, the samples read with NAudio.</summary>
public sealed record StereoRecording(short[] Left, short[] Right, int SampleRate, long RiffSize, long DataOffset, long DataSize, long FileLength)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(Left.Length / (double)SampleRate);

    /// <summary>True when the RIFF size is the file length minus 8 and the data chunk runs exactly to the end of the file.</summary>
    public bool SizesConsistent { get; init; }

    public static StereoRecording Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var riff = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        var (dataOffset, dataSize) = FindData(bytes);

        using var reader = new WaveFileReader(path);
        if (reader.WaveFormat.Channels != 2 || reader.WaveFormat.BitsPerSample != 16)
        {
            throw new InvalidDataException($"{path}: {reader.WaveFormat}, expected 16-bit stereo");
        }

        var pcm = new byte[reader.Length];
        var read = 0;
        while (read < pcm.Length)
        {
            var n = reader.Read(pcm, read, pcm.Length - read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var frames = read / 4;
        var left = new short[frames];
        var right = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(i * 4));
            right[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan((i * 4) + 2));
        }

        return new StereoRecording(left, right, reader.WaveFormat.SampleRate, riff, dataOffset, dataSize, bytes.Length)
        {
            SizesConsistent = riff == bytes.Length - 8 && dataOffset + dataSize == bytes.Length,
        };
    }

    private static (long Offset, long Size) FindData(byte[] bytes)
    {
        var position = 12;
        while (position + 8 <= bytes.Length)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4));
            if (bytes.AsSpan(position, 4).SequenceEqual("data"u8))
            {
                return (position + 8, size);
            }

            position += 8 + (int)size + (int)(size & 1);
        }

        throw new InvalidDataException("no data chunk");
    }
}
