using System.Diagnostics;
using Intake.Media.Codecs;
using Intake.Media.Recording;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Media.Benchmarks;

/// <summary>
/// How many recorded calls one core sustains: N recorders are fed both channels (50 packets/s
/// each) for a simulated minute on a fake clock, as fast as the writers keep up; process CPU
/// over audio time gives calls per core.
/// </summary>
internal static class RecorderCpuMeasurement
{
    private const int Seconds = 60;

    public static async Task RunAsync(int calls)
    {
        var directory = Directory.CreateTempSubdirectory("intake-rec-bench-").FullName;
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
            var payload = new byte[160];
            G711.Encode(AudioEncoding.Pcmu, [.. Enumerable.Range(0, 160).Select(i => (short)(4000 * Math.Sin(i / 3.0)))], payload);
            var recorders = Enumerable.Range(0, calls)
                .Select(i => CallRecorder.Start(directory, $"call-{i}", time, new CallRecorderOptions { QueueCapacity = 4096 }))
                .ToArray();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var frame = 0; frame < Seconds * 50; frame++)
            {
                time.Advance(TimeSpan.FromMilliseconds(20));
                var now = time.GetTimestamp();
                for (var c = 0; c < recorders.Length; c++)
                {
                    recorders[c].Write(RecordingChannel.Caller, 1, (uint)(frame * 160), AudioEncoding.Pcmu, payload, now);
                    recorders[c].Write(RecordingChannel.CallerHears, 2, (uint)(frame * 160), AudioEncoding.Pcma, payload, now);
                }

                if (frame % 50 == 49)
                {
                    // Let the writers catch up each simulated second so the queues stay bounded.
                    var target = ((frame + 1) * 160L) - 4000 - 160;
                    for (var spins = 0; spins < 100_000 && recorders.Any(r => r.WrittenFrames < target); spins++)
                    {
                        await Task.Yield();
                    }
                }
            }

            var results = await Task.WhenAll(recorders.Select(r => r.CompleteAsync()));
            wall.Stop();
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpu0;
            var audioSeconds = (double)calls * Seconds;
            var dropped = results.Sum(r => r.DroppedPackets);
            Console.WriteLine($"{calls} calls x {Seconds} s stereo: cpu {cpu.TotalSeconds:F2} s, wall {wall.Elapsed.TotalSeconds:F2} s, dropped {dropped}, late {results.Sum(r => r.LatePackets)}");
            Console.WriteLine($"cpu per recorded call-second {cpu.TotalMicroseconds / audioSeconds:F1} µs  => {audioSeconds / cpu.TotalSeconds:F0} concurrent recorded calls per core (2 streams each, {2 * audioSeconds / cpu.TotalSeconds:F0} streams)");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
