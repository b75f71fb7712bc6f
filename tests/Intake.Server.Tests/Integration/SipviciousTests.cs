using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// SIPVicious 0.3.3 (Debian package sipvicious: svmap, svwar, svcrack) against the real server: it survives the scans,
/// gives away no operator name and no password. Loopback only, never -R (it would report to the Internet).
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class SipviciousTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Svmap_Scan_FindsServerAndServerStillAnswers()
    {
        await using var server = await IntakeServerProcess.StartAsync();

        var scan = await RunAsync("svmap", ["-p", server.SipPort.ToString(), "127.0.0.1"]);

        Assert.Contains($"127.0.0.1:{server.SipPort}", scan);
        Assert.Equal(200, await OptionsAsync(server));
    }

    [Fact]
    public async Task Svwar_DictionaryWithRealOperators_EnumeratesNobody()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        var dictionary = await WriteDictionaryAsync(["op1001", "op1002", "zorglub", "alice77", "qwerty", "dispatch9"]);

        var register = await RunAsync("svwar", ["--maximumtime=30", "-d", dictionary, "-m", "REGISTER", "127.0.0.1"], server.SipPort);
        var forced = await RunAsync("svwar", ["--maximumtime=30", "-d", dictionary, "-m", "REGISTER", "--force", "127.0.0.1"], server.SipPort);
        var invite = await RunAsync("svwar", ["--maximumtime=30", "-d", dictionary, "-m", "INVITE", "127.0.0.1"], server.SipPort);

        // Known and unknown users get the same 401, so svwar cannot tell them apart and reports nothing.
        foreach (var run in new[] { register, forced, invite })
        {
            Assert.Contains("found nothing", run);
            Assert.DoesNotContain("| op100", run);
        }

        Assert.Equal(200, await OptionsAsync(server));
    }

    [Fact]
    public async Task Svcrack_DictionaryEndingWithRealPassword_LockedOutBeforeFindingIt()
    {
        await using var server = await IntakeServerProcess.StartAsync();
        string[] wrong = ["123456", "password", "op1001", "secret", "admin", "letmein", "qwerty", "intake", "police19", "welcome1", "op1001-secret", "Op1001-Secret!"];
        var dictionary = await WriteDictionaryAsync([.. wrong, "op1001-Secret!"]);

        var clock = Stopwatch.StartNew();
        var crack = await RunAsync("svcrack", ["--maximumtime=40", "-u", "op1001", "-d", dictionary, "127.0.0.1"], server.SipPort);

        output.WriteLine($"svcrack ran {clock.Elapsed.TotalSeconds:F1} s");
        Assert.DoesNotContain("op1001-Secret!", crack);
        Assert.DoesNotContain("| op1001", crack);
        Assert.DoesNotContain("registered", server.Output.Split('\n').Where(l => l.Contains("Operator op1001", StringComparison.Ordinal)).LastOrDefault() ?? "");
        Assert.Equal(200, await OptionsAsync(server));
        Assert.False(server.HasExited);
    }

    private async Task<string> RunAsync(string tool, IEnumerable<string> args, int? targetPort = null)
    {
        var home = Path.Combine(Path.GetTempPath(), "intake-sv-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(home);
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = home,
        };
        info.Environment["HOME"] = home;
        foreach (var a in new[] { "-b", "127.0.0.1", "-x", "127.0.0.1", "-P", FreePorts.Next().ToString() })
        {
            info.ArgumentList.Add(a);
        }

        if (targetPort is { } port)
        {
            info.ArgumentList.Add("-p");
            info.ArgumentList.Add(port.ToString());
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = new Process { StartInfo = info };
        var text = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.WaitForExit();
        string result;
        lock (text)
        {
            result = text.ToString();
        }

        output.WriteLine($"$ {tool} {string.Join(' ', info.ArgumentList)}\n{result}");
        return result;
    }

    private static async Task<string> WriteDictionaryAsync(IEnumerable<string> words)
    {
        var path = Path.Combine(Path.GetTempPath(), "intake-dict-" + Guid.NewGuid().ToString("N")[..12] + ".txt");
        await File.WriteAllLinesAsync(path, words);
        return path;
    }

    private static async Task<int> OptionsAsync(IntakeServerProcess server)
    {
        using var client = new RawSipClient(server.SipPort);
        await client.SendTextAsync("""
            OPTIONS sip:127.0.0.1:$SERVER$ SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:$PORT$;rport;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:probe@127.0.0.1:$PORT$>;tag=probe
            To: <sip:127.0.0.1:$SERVER$>
            Call-ID: probe-after-scan
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);
        var response = await client.ReceiveFinalAsync(RawCalls.ResponseTimeout);
        return response is null ? 0 : RawSipClient.StatusOf(response);
    }
}
