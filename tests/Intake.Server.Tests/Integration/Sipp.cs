using System.Diagnostics;
using System.Text;

namespace Intake.Server.Tests.Integration;

/// <summary>Runs the real SIPp (Debian package sip-tester) on loopback with a scenario from Scenarios/.</summary>
public static class Sipp
{
    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    /// <summary>
    /// Starts SIPp and returns its process; <see cref="WaitAsync"/> collects the result. Every run is bounded by
    /// <paramref name="timeout"/> (SIPp is killed past it) and by its -m call count.
    /// </summary>
    public static SippProcess Start(string scenario, IEnumerable<string> args, string? target = null)
    {
        var work = Path.Combine(Path.GetTempPath(), "intake-sipp-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        var info = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = work,
        };
        info.ArgumentList.Add("-sf");
        info.ArgumentList.Add(Path.IsPathRooted(scenario) ? scenario : ScenarioPath(scenario));
        if (target is not null)
        {
            info.ArgumentList.Add(target);
        }

        foreach (var a in new[] { "-i", "127.0.0.1", "-mi", "127.0.0.1", "-nostdin", "-trace_stat", "-stf", "stat.csv", "-fd", "1", "-trace_err", "-error_file", "errors.log" })
        {
            info.ArgumentList.Add(a);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SippProcess(process, output, work);
    }

    public static Task<SippRun> RunAsync(string scenario, IEnumerable<string> args, string? target, TimeSpan timeout) =>
        Start(scenario, args, target).WaitAsync(timeout);
}

/// <summary>A running SIPp.</summary>
public sealed class SippProcess(Process process, StringBuilder output, string work)
{
    public int ProcessId => process.Id;

    public async Task<SippRun> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.WaitForExit();
        var stat = Path.Combine(work, "stat.csv");
        var errors = Path.Combine(work, "errors.log");
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        if (File.Exists(errors))
        {
            text += "\n--- sipp errors ---\n" + string.Join('\n', File.ReadLines(errors).Take(60));
        }

        var run = new SippRun(process.HasExited ? process.ExitCode : -1, text, File.Exists(stat) ? await File.ReadAllTextAsync(stat) : null, work);
        process.Dispose();
        return run;
    }

    /// <summary>Stops SIPp early (SIGTERM), e.g. a UAS that has answered what it had to.</summary>
    public void Stop()
    {
        if (!process.HasExited)
        {
            NativeSignals.Send(process.Id, NativeSignals.SigTerm);
        }
    }
}
