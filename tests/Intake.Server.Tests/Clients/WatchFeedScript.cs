using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Intake.Server.Tests.Clients;

/// <summary>tests/clients/watch_feed.py, the feed client outside .NET, run with Debian's Python.</summary>
internal static class WatchFeedScript
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Starts the script against 127.0.0.1:<paramref name="port"/> with its own deadline of <paramref name="timeoutSeconds"/>.</summary>
    public static Process Start(int port, int timeoutSeconds, params string[] args)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3 python3-grpcio python3-protobuf");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[ScriptPath(), "--target", $"127.0.0.1:{port}", "--timeout", timeoutSeconds.ToString(), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start python3");
    }

    /// <summary>Every stdout line until the script exits (bounded by <paramref name="limit"/>), and its stderr.</summary>
    public static async Task<(List<string> Lines, string Stderr)> ReadLinesAsync(Process script, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        var stderr = script.StandardError.ReadToEndAsync(timeout.Token);
        var lines = new List<string>();
        try
        {
            while (await script.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
            }

            await script.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            script.Kill(entireProcessTree: true);
            throw new TimeoutException($"watch_feed.py did not finish; got {lines.Count} lines");
        }

        return (lines, await stderr);
    }

    private static string ScriptPath([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "clients", "watch_feed.py"));
}
