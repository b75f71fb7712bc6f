using System.Diagnostics;
using Xunit.Abstractions;

namespace Intake.Server.Tests.Integration;

/// <summary>A crash mid-call leaves a recording that the next start makes a valid WAV, losing at most the last second.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class RecordingCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ServerKilledMidCall_RestartOnSameData_RecordingValidUpToCrashMinusOneSecond()
    {
        var data = Path.Combine(Path.GetTempPath(), "intake-crash-" + Guid.NewGuid().ToString("N")[..12]);
        TimeSpan answeredToKill;
        var first = await IntakeServerProcess.StartAsync(dataDirectory: data);
        var sipp = Sipp.Start("uac_pcap.xml", MediaCalls.CallerArgs(holdMs: 20000), MediaCalls.Target(first));
        try
        {
            await first.WaitForOutputAsync("recording to", TimeSpan.FromSeconds(10));
            var sinceAnswer = Stopwatch.StartNew();
            // Four seconds of the capture's speech reach the recording, then the process dies without any cleanup.
            await Task.Delay(TimeSpan.FromSeconds(4));
            answeredToKill = sinceAnswer.Elapsed;
            await first.StopAsync(NativeSignals.SigKill, TimeSpan.FromSeconds(10));
        }
        finally
        {
            sipp.Stop();
            await sipp.WaitAsync(MediaCalls.SippTimeout);
            await first.DisposeAsync();
        }

        var file = Assert.Single(Directory.GetFiles(Path.Combine(data, "recordings"), "*.wav"));
        var asKilled = StereoRecording.Read(file);
        // Everything that reached the file before the kill is what a repair can keep.
        var reachedFile = TimeSpan.FromSeconds((asKilled.FileLength - asKilled.DataOffset) / 4 / (double)asKilled.SampleRate);
        // The recorder rewrites the sizes at every flush, so a kill usually leaves them right. A kill between a write and
        // that update leaves audio past the declared data and maybe a torn frame: make that happen (250 frames and 1 byte).
        var tail = new byte[1001];
        Array.Fill(tail, (byte)0x11);
        await File.AppendAllBytesAsync(file, tail);

        await using var second = await IntakeServerProcess.StartAsync(dataDirectory: data);
        var check = second.Output.Split('\n').FirstOrDefault(l => l.Contains(Path.GetFileName(file), StringComparison.Ordinal) && l.Contains("checked at start-up", StringComparison.Ordinal));
        Assert.True(check is not null, "no start-up check of the recording\n" + second.Output);

        var recording = StereoRecording.Read(file);
        var loss = answeredToKill - reachedFile;
        output.WriteLine($"answer to kill {answeredToKill.TotalMilliseconds:F0} ms, audio in the file at the kill {reachedFile.TotalMilliseconds:F0} ms " +
            $"(lost {loss.TotalMilliseconds:F0} ms), sizes as killed {(asKilled.SizesConsistent ? "consistent" : "stale")}; {check!.Trim()}");
        Assert.Contains("repaired", check, StringComparison.Ordinal);
        Assert.True(recording.SizesConsistent, $"RIFF {recording.RiffSize}, data {recording.DataSize}, file {recording.FileLength}");
        Assert.Equal((asKilled.FileLength + tail.Length - asKilled.DataOffset) / 4 * 4, recording.DataSize);
        Assert.InRange(loss.TotalMilliseconds, -100, 1000);
        Assert.True(AudioMatch.Rms(recording.Left) > 100, "the caller's speech before the crash is missing");
    }
}
