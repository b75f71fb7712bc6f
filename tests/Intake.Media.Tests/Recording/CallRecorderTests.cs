using Intake.Media.Codecs;
using Intake.Media.Recording;
using Intake.Media.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;
using NAudio.Wave;

namespace Intake.Media.Tests.Recording;

public sealed class CallRecorderTests
{
    private static readonly DateTimeOffset s_origin = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static short Level(int k) => Decode((short)((k + 1) * 300));

    private static short Decode(short value)
    {
        var code = new byte[1];
        var back = new short[1];
        G711.Encode(AudioEncoding.Pcmu, [value], code);
        G711.Decode(AudioEncoding.Pcmu, code, back);
        return back[0];
    }

    private static byte[] Payload(int k)
    {
        var payload = new byte[160];
        G711.Encode(AudioEncoding.Pcmu, Enumerable.Repeat((short)((k + 1) * 300), 160).ToArray(), payload);
        return payload;
    }

    private static (short[] Left, short[] Right) ReadStereo(string path)
    {
        using var reader = new WaveFileReader(path);
        Assert.Equal(new WaveFormat(8000, 16, 2), reader.WaveFormat);
        var bytes = new byte[reader.Length];
        var read = reader.Read(bytes, 0, bytes.Length);
        var frames = read / 4;
        var left = new short[frames];
        var right = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            left[i] = BitConverter.ToInt16(bytes, i * 4);
            right[i] = BitConverter.ToInt16(bytes, (i * 4) + 2);
        }

        return (left, right);
    }

    [Fact]
    public async Task CompleteAsync_LossReorderDuplicateSsrcChangeAndJump_KeepsEveryPacketAtItsPlace()
    {
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(s_origin);
        var recorder = CallRecorder.Start(temp.Path, "call-1", time);
        var order = Enumerable.Range(0, 50).ToList();
        (order[10], order[11]) = (order[11], order[10]);

        for (var slot = 0; slot < order.Count; slot++)
        {
            // Arrival with jitter: some packets 7 ms late, never early, never out of time order.
            // The packets that anchor a timeline (first, SSRC change, jump) arrive on time: an
            // anchor is only as exact as the arrival time it is taken from.
            time.SetUtcNow(s_origin + TimeSpan.FromMilliseconds(((slot + 1) * 20) + (slot % 3 == 2 ? 7 : 0)));
            var k = order[slot];
            var now = time.GetTimestamp();
            recorder.Write(RecordingChannel.CallerHears, 0xBEEF, (uint)(5 + (k * 160)), AudioEncoding.Pcmu, Payload(k), now);
            if (k == 5)
            {
                continue;
            }

            var (ssrc, timestamp) = k switch
            {
                < 30 => (0xAAAAu, (uint)(1000 + (k * 160))),
                < 40 => (0xBBBBu, (uint)(777_777 + ((k - 30) * 160))),
                _ => (0xBBBBu, (uint)(777_777 + 80_000 + ((k - 30) * 160))),
            };
            recorder.Write(RecordingChannel.Caller, ssrc, timestamp, AudioEncoding.Pcmu, Payload(k), now);
            if (k == 20)
            {
                recorder.Write(RecordingChannel.Caller, ssrc, timestamp, AudioEncoding.Pcmu, Payload(k), now);
            }
        }

        time.SetUtcNow(s_origin + TimeSpan.FromMilliseconds(51 * 20));
        var result = await recorder.CompleteAsync();

        var (left, right) = ReadStereo(result.Path);
        Assert.Equal(51 * 160, left.Length);
        Assert.All(left[..160], s => Assert.Equal(0, s));
        for (var k = 0; k < 50; k++)
        {
            var start = (k + 1) * 160;
            var expected = k == 5 ? (short)0 : Level(k);
            Assert.All(left[start..(start + 160)], s => Assert.Equal(expected, s));
            Assert.All(right[start..(start + 160)], s => Assert.Equal(Level(k), s));
        }

        Assert.Equal(0, result.DroppedPackets);
        Assert.Equal(0, result.LatePackets);
        Assert.Equal(TimeSpan.FromSeconds(51 * 0.02), result.Duration);
        Assert.Equal(new FileInfo(result.Path).Length, result.SizeBytes);
        Assert.Equal(64, result.Sha256.Length);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(result.Path))), result.Sha256);
    }

    [Fact]
    public async Task Write_ThirtyMillisecondPackets_SplitIntoChunksAndPlacedWhole()
    {
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(s_origin);
        var recorder = CallRecorder.Start(temp.Path, "ptime30", time);

        // 240-byte payloads (30 ms, as trunks and SIPp's pcap send) are larger than one queue entry.
        for (var k = 0; k < 20; k++)
        {
            time.SetUtcNow(s_origin + TimeSpan.FromMilliseconds((k + 1) * 30));
            var payload = new byte[240];
            G711.Encode(AudioEncoding.Pcmu, Enumerable.Repeat((short)((k + 1) * 300), 240).ToArray(), payload);
            recorder.Write(RecordingChannel.Caller, 0x30, (uint)(k * 240), AudioEncoding.Pcmu, payload, time.GetTimestamp());
        }

        time.SetUtcNow(s_origin + TimeSpan.FromMilliseconds(21 * 30));
        var result = await recorder.CompleteAsync();

        var (left, _) = ReadStereo(result.Path);
        Assert.Equal(0, result.DroppedPackets);
        Assert.True(left.Length >= 20 * 240, $"{left.Length} frames");
        var first = Array.FindIndex(left, s => s != 0);
        for (var k = 0; k < 20; k++)
        {
            var start = first + (k * 240);
            Assert.All(left[start..(start + 240)], s => Assert.Equal(Level(k), s));
        }
    }

    [Fact]
    public async Task Write_PacketOlderThanWrittenAudio_CountedLateAndIgnored()
    {
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(s_origin);
        var recorder = CallRecorder.Start(temp.Path, "late", time);
        recorder.Write(RecordingChannel.Caller, 1, 0, AudioEncoding.Pcmu, Payload(1), time.GetTimestamp());
        for (var i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        await WaitUntilAsync(() => recorder.WrittenFrames >= 8000);
        recorder.Write(RecordingChannel.Caller, 1, 160, AudioEncoding.Pcmu, Payload(2), time.GetTimestamp() - (time.TimestampFrequency * 3));

        var result = await recorder.CompleteAsync();

        Assert.Equal(1, result.LatePackets);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Duration);
    }

    [Fact]
    public async Task Flush_WhileRecording_FileReadableWithSizesUpToDate()
    {
        using var temp = new TempDirectory();
        var time = new FakeTimeProvider(s_origin);
        var recorder = CallRecorder.Start(temp.Path, "live", time);
        for (var k = 0; k < 150; k++)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            recorder.Write(RecordingChannel.Caller, 7, (uint)(k * 160), AudioEncoding.Pcmu, Payload(k % 20), time.GetTimestamp());
        }

        // Three flush ticks have passed; the last one wrote everything older than now - latency.
        await WaitUntilAsync(() => recorder.WrittenFrames >= 8000 * 25 / 10);
        var snapshot = Path.Combine(temp.Path, "snapshot.wav");
        await WaitUntilAsync(() => TryCopy(recorder.FilePath, snapshot) && new WaveFileReader(snapshot).Using(r => r.Length) >= 8000 * 4 * 2);

        Assert.False(WavRepair.Repair(snapshot).Repaired);
        await recorder.CompleteAsync();
    }

    [Fact]
    public void Repair_TruncatedFileWithStaleSizes_FixesRiffAndDataSizes()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "crashed.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(8000, 16, 2)))
        {
            writer.Write(new byte[4000], 0, 4000);
        }

        // What a kill -9 leaves: audio appended after the last header update, plus half a frame.
        using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(new byte[16_002]);
        }

        var result = WavRepair.Repair(path);

        Assert.True(result.Repaired);
        Assert.Equal(20_000, result.DataBytes);
        using var reader = new WaveFileReader(path);
        Assert.Equal(20_000, reader.Length);
        Assert.Equal(TimeSpan.FromMilliseconds(625), reader.TotalTime);
    }

    [Fact]
    public void Repair_HeaderWithZeroSizes_RecoversAllAudio()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "zero.wav");
        using (var writer = new WaveFileWriter(path, new WaveFormat(8000, 16, 2)))
        {
            writer.Write(new byte[3200], 0, 3200);
        }

        var bytes = File.ReadAllBytes(path);
        Array.Clear(bytes, 4, 4);
        Array.Clear(bytes, bytes.Length - 3200 - 4, 4);
        File.WriteAllBytes(path, bytes);
        File.WriteAllText(Path.Combine(temp.Path, "notes.wav"), "not audio");

        var results = WavRepair.RepairDirectory(temp.Path);

        Assert.Contains(results, r => r.Path == path && r.Repaired && r.DataBytes == 3200);
        Assert.Contains(results, r => r.Error is not null);
        Assert.Equal(File.ReadAllBytes(path).Length, bytes.Length);
        Assert.False(WavRepair.Repair(path).Repaired);
    }

    [Fact]
    public void Start_InvalidId_Throws()
    {
        using var temp = new TempDirectory();

        Assert.Throws<ArgumentException>(() => CallRecorder.Start(temp.Path, "../x", TimeProvider.System));
    }

    private static bool TryCopy(string from, string to)
    {
        try
        {
            using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var target = new FileStream(to, FileMode.Create);
            source.CopyTo(target);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // The writer runs on the thread pool; bounded wait for it to catch up.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
