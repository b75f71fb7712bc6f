using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Intake.Server.Tests.Integration;

/// <summary>What the media tests share: SIPp caller arguments, the G.711 capture SIPp plays, finding a call's recording.</summary>
internal static partial class MediaCalls
{
    /// <summary>Debian's sip-tester ships this capture: 236 RTP packets of PCMA, 30 ms each (7.08 s).</summary>
    public const string AlawCapture = "/usr/share/sip-tester/g711a.pcap";

    public static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(40);

    public static string Target(IntakeServerProcess server) => $"127.0.0.1:{server.SipPort}";

    /// <summary>UDP calls (one by default, all at once) held for <paramref name="holdMs"/>, with SIPp's message trace in messages.log.</summary>
    public static string[] CallerArgs(int holdMs, int calls = 1) =>
    [
        "-s", "19", "-m", calls.ToString(), "-l", calls.ToString(), "-r", "10", "-d", holdMs.ToString(), "-t", "u1",
        "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(),
        "-timeout", "35s", "-timeout_error", "-recv_timeout", "10000",
        "-trace_msg", "-message_file", "messages.log",
    ];

    /// <summary>Waits for the server's log line of a completed recording and returns the file it names.</summary>
    public static async Task<string> CompletedRecordingAsync(IntakeServerProcess server, TimeSpan timeout)
    {
        await server.WaitForOutputAsync("sha256", timeout);
        var match = server.Output.Split('\n').Select(l => CompletedLine().Match(l)).First(m => m.Success);
        return match.Groups["path"].Value;
    }

    /// <summary>Waits until <paramref name="count"/> log lines contain <paramref name="text"/>.</summary>
    public static async Task WaitForLinesAsync(IntakeServerProcess server, string text, int count, TimeSpan timeout)
    {
        await server.WaitForOutputAsync(text, timeout);
        var waited = Stopwatch.StartNew();
        while (server.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal)) < count)
        {
            Assert.True(waited.Elapsed < timeout, $"fewer than {count} lines with '{text}':\n{server.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>From SIPp's trace: the 200 OK to the INVITE arriving, and the BYE leaving.</summary>
    public static TimeSpan AnsweredLength(SippRun run)
    {
        var trace = SippMessageTrace.Read(Path.Combine(run.WorkDirectory, "messages.log"));
        var ok = trace.First(e => e.Received && e.FirstLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal)).Time;
        var bye = trace.First(e => !e.Received && e.FirstLine.StartsWith("BYE ", StringComparison.Ordinal)).Time;
        return bye - ok;
    }

    [GeneratedRegex(@"recording (?<path>/\S+\.wav): (?<ms>\d+) ms")]
    private static partial Regex CompletedLine();
}
