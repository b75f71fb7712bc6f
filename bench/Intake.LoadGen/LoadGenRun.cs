using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Intake.Media.Codecs;
using Intake.Media.Io;

namespace Intake.LoadGen;

/// <summary>Main loop: opens calls as they are announced, closes them when the pacer is done, then reports.</summary>
[SupportedOSPlatform("linux")]
internal static class LoadGenRun
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(5);

    public static async Task<int> RunAsync(LoadGenOptions options, TimeProvider time)
    {
        using var stopping = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.Cancel(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.Cancel(); });

        var frequency = time.TimestampFrequency;
        var started = time.GetTimestamp();
        var deadline = started + (options.MaxSeconds * frequency);
        var tones = new Dictionary<int, byte[]>
        {
            [(int)AudioEncoding.Pcma] = ToneFrame.Create(AudioEncoding.Pcma),
            [(int)AudioEncoding.Pcmu] = ToneFrame.Create(AudioEncoding.Pcmu),
        };
        var all = new List<GeneratedCall>();
        var seen = new HashSet<int>();
        var pending = new List<Announcement>();
        long openFailures = 0, closed = 0;
        string reason;

        using var reactor = new DatagramReactor(options.ReceiveThreads);
        using var reader = new AnnouncementReader(options.AnnounceFile);
        using var pacer = new Pacer(time);
        OperatorEcho? echo = null;
        if (options.EchoPort > 0)
        {
            echo = new OperatorEcho();
            echo.Open(reactor, options.EchoPort, lane: 1);
        }

        pacer.Start();
        Console.WriteLine($"Intake.LoadGen: following {options.AnnounceFile}, hold {options.HoldMs} ms, expecting {options.Calls} calls");
        while (true)
        {
            pending.Clear();
            reader.ReadNew(pending);
            var now = time.GetTimestamp();
            foreach (var a in pending)
            {
                if (!seen.Add(a.CallIndex))
                {
                    continue; // a retransmitted 200 OK may log twice
                }

                var tone = tones.GetValueOrDefault(a.PayloadType, tones[(int)AudioEncoding.Pcma]);
                // phase: calls announced in the same poll start 1 ms apart instead of together
                var firstDue = now + ((a.CallIndex % 20) * frequency / 1000);
                var call = new GeneratedCall(a, tone, firstDue, options.HoldMs * frequency / 1000, options.TailMs * frequency / 1000, time);
                all.Add(call);
                if (call.Open(reactor))
                {
                    pacer.Add(call);
                }
                else
                {
                    openFailures++;
                    closed++;
                    Console.Error.WriteLine($"Intake.LoadGen: call {a.CallIndex}: {call.OpenError}");
                }
            }

            while (pacer.TryTakeFinished(out var done))
            {
                await done.CloseAsync().ConfigureAwait(false);
                closed++;
            }

            if (options.Calls > 0 && closed >= options.Calls)
            {
                reason = "all calls done";
                break;
            }

            if (stopping.IsCancellationRequested)
            {
                reason = "signal";
                break;
            }

            if (now >= deadline)
            {
                reason = "max-seconds";
                break;
            }

            try
            {
                await Task.Delay(s_poll, time, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the signal is handled at the top of the loop
            }
        }

        foreach (var call in pacer.Stop())
        {
            await call.CloseAsync().ConfigureAwait(false);
        }

        while (pacer.TryTakeFinished(out var done))
        {
            await done.CloseAsync().ConfigureAwait(false);
        }

        if (echo is not null)
        {
            await echo.CloseAsync().ConfigureAwait(false);
        }

        var wall = (time.GetTimestamp() - started) / (double)frequency;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        LoadGenReport.Write(options.OutputFile, all, echo, new LoadGenReport.RunFigures(
            wall, cpu, all.Count, reader.IgnoredLines, openFailures, pacer.MaxLatenessMs, pacer.LateSends, pacer.WakeUps, reason));
        Console.WriteLine($"Intake.LoadGen: {all.Count} calls, stop: {reason}, CPU {cpu:F1} s over {wall:F1} s; {options.OutputFile}");
        return 0;
    }
}
