using System.Buffers.Binary;

namespace Intake.Media.Recording;

/// <summary>
/// Fixes WAV files left open by a crash: sets the RIFF and data chunk sizes from the file's
/// real length (dropping a trailing partial frame). Run over the recordings directory at start.
/// </summary>
public static class WavRepair
{
    /// <summary>Repairs one file. Files whose sizes are already right are left untouched.</summary>
    public static WavRepairResult Repair(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            Span<byte> header = stackalloc byte[12];
            if (file.Read(header) != 12 || !header[..4].SequenceEqual("RIFF"u8) || !header.Slice(8, 4).SequenceEqual("WAVE"u8))
            {
                return new WavRepairResult(path, false, 0, "not a RIFF/WAVE file");
            }

            var (dataOffset, declared, blockAlign) = FindData(file);
            if (dataOffset < 0)
            {
                return new WavRepairResult(path, false, 0, "no data chunk");
            }

            var available = file.Length - dataOffset;
            var align = Math.Max(1, blockAlign);
            var actual = Math.Min(uint.MaxValue - 64, available - (available % align));
            var riffSize = dataOffset + actual - 8;
            if (declared == actual && BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(4)) == riffSize && available == actual)
            {
                return new WavRepairResult(path, false, actual, null);
            }

            Span<byte> size = stackalloc byte[4];
            file.SetLength(dataOffset + actual);
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)riffSize);
            file.Position = 4;
            file.Write(size);
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)actual);
            file.Position = dataOffset - 4;
            file.Write(size);
            file.Flush(flushToDisk: true);
            return new WavRepairResult(path, true, actual, null);
        }
        catch (IOException ex)
        {
            return new WavRepairResult(path, false, 0, ex.Message);
        }
        catch (UnauthorizedAccessException ex)
        {
            return new WavRepairResult(path, false, 0, ex.Message);
        }
    }

    /// <summary>Repairs every *.wav in <paramref name="directory"/> (not recursive).</summary>
    public static IReadOnlyList<WavRepairResult> RepairDirectory(string directory) =>
        Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory, "*.wav").Select(Repair)] : [];

    /// <summary>Offset of the first data byte, or the file length when there is no data chunk.</summary>
    public static long DataOffset(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Position = 12;
        var (offset, _, _) = FindData(file);
        return offset < 0 ? file.Length : offset;
    }

    private static (long DataOffset, long DeclaredSize, int BlockAlign) FindData(FileStream file)
    {
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[16];
        var blockAlign = 0;
        var position = 12L;

        // Bounded: each chunk advances at least 8 bytes through a finite file.
        while (position + 8 <= file.Length)
        {
            file.Position = position;
            if (file.Read(chunk) != 8)
            {
                break;
            }

            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.Slice(4));
            if (chunk[..4].SequenceEqual("data"u8))
            {
                return (position + 8, size, blockAlign);
            }

            if (chunk[..4].SequenceEqual("fmt "u8) && file.Read(fmt) == 16)
            {
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt.Slice(12));
            }

            position += 8 + size + (size & 1);
        }

        return (-1, 0, blockAlign);
    }
}
