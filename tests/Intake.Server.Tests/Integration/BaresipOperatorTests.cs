using System.Diagnostics;
using System.Text.Json.Nodes;
using Intake.Contracts.V1;
using Xunit.Abstractions;
using Kind = Intake.Contracts.V1.CallEvent.KindOneofCase;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// A real softphone as the operator: baresip (Debian baresip-core) registers with its password, auto-answers
/// Intake's INVITE on the Contact it registered (user part with an instance suffix, +sip.instance) and sends a
/// 440 Hz sine, while a SIPp caller talks with the G.711 capture.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class BaresipOperatorTests(ITestOutputHelper output)
{
    private const string HarnessProfile = "/work/shared/harness/baresip/operator";
    private const double ToneHz = 440;

    [Fact]
    public async Task CallTo19_BaresipOperatorAutoAnswers_BridgedAndBothSidesRecorded()
    {
        var profile = Path.Combine(Path.GetTempPath(), "intake-baresip-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(profile);
        await using var server = await IntakeServerProcess.StartAsync(
            ["--Queues:0:WrapUpSeconds=0", "--Intake:OperatorKeepAliveSeconds=0"], configFile: WriteMd5OnlyConfig(profile));
        using var api = new IntakeApiClient(server);
        WriteProfile(profile, server.SipPort);
        var phoneLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var baresip = StartBaresip(profile, phoneLog);
        try
        {
            try
            {
                await server.WaitForOutputAsync("Operator op1001 registered", TimeSpan.FromSeconds(15));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException(ex.Message + "\n--- baresip ---\n" + string.Join('\n', phoneLog), ex);
            }

            var caller = await Sipp.RunAsync("uac_pcap.xml", [
                "-s", "19", "-m", "1", "-d", "5000", "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(),
                "-timeout", "30s", "-timeout_error", "-max_socket", "2000"], $"127.0.0.1:{server.SipPort}", TimeSpan.FromSeconds(40));
            var events = await api.EventsUntilAsync(Kind.Recording, 1, TimeSpan.FromSeconds(20));

            Assert.True(caller.ExitCode == 0, caller.Output + "\n--- server ---\n" + server.Output);
            var answered = Assert.Single(events, e => e.KindCase == Kind.Answered);
            Assert.Equal("op1001", answered.Answered.Operator);
            Assert.Contains($"Call {answered.CallId} answered by op1001", server.Output, StringComparison.Ordinal);
            var operators = await api.Operators.ListAsync(new ListOperatorsRequest());
            var contact = Assert.Single(operators.Operators.Single(o => o.Username == "op1001").Contacts);
            Assert.Contains("sip:op1001-0x", contact, StringComparison.Ordinal);

            var recording = StereoRecording.Read(Path.Combine(server.DataDirectory, "recordings", answered.CallId + ".wav"));
            var start = (int)((answered.Answered.WaitSeconds + 0.5) * recording.SampleRate);
            var length = Math.Min(2 * recording.SampleRate, recording.Left.Length - start);
            Assert.True(length > recording.SampleRate, $"recording of {recording.Duration} too short after the answer at {answered.Answered.WaitSeconds:F2} s");
            var callerRms = AudioMatch.Rms(recording.Left.AsSpan(start, length));
            var operatorRms = AudioMatch.Rms(recording.Right.AsSpan(start, length));
            var toneShare = ToneShare(recording.Right.AsSpan(start, length), recording.SampleRate, ToneHz);
            output.WriteLine($"answered after {answered.Answered.WaitSeconds:F2} s by {contact}; recording {recording.Duration.TotalSeconds:F1} s; " +
                $"while bridged caller RMS {callerRms:F0}, operator RMS {operatorRms:F0}, {toneShare:P0} of the operator's energy at {ToneHz} Hz");
            Assert.True(callerRms > 200, $"caller channel RMS {callerRms:F0}");
            Assert.True(operatorRms > 200, $"operator channel RMS {operatorRms:F0}");
            Assert.True(toneShare > 0.8, $"only {toneShare:P0} of the operator channel is baresip's {ToneHz} Hz sine");
        }
        finally
        {
            if (!baresip.HasExited)
            {
                baresip.Kill();
                await baresip.WaitForExitAsync();
            }
        }
    }

    /// <summary>
    /// The default configuration with MD5 as the only digest algorithm: baresip 1.0 (libre) fails the whole
    /// registration ("Function not implemented") when any challenge of the 401 is not MD5, even with MD5 offered first.
    /// </summary>
    private static string WriteMd5OnlyConfig(string directory)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "sip-config");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "intake.json")))!;
        json["Intake"]!["DigestAlgorithms"] = new JsonArray("MD5");
        var path = Path.Combine(directory, "intake.json");
        File.WriteAllText(path, json.ToJsonString());
        // Prompts are found beside the configuration file.
        Directory.CreateSymbolicLink(Path.Combine(directory, "prompts"), Path.Combine(source, "prompts"));
        return path;
    }

    /// <summary>The harness profile: this server's port, free SIP/RTP ports, no control listeners.</summary>
    private static void WriteProfile(string directory, int serverPort)
    {
        var rtp = FreePorts.NextBlock(20);
        var config = File.ReadAllLines(Path.Combine(HarnessProfile, "config"))
            .Where(l => !l.Contains("ctrl_tcp", StringComparison.Ordinal) && !l.Contains("cons", StringComparison.Ordinal))
            .Select(l => l.StartsWith("sip_listen", StringComparison.Ordinal) ? $"sip_listen\t\t127.0.0.1:{FreePorts.Next()}"
                : l.StartsWith("rtp_ports", StringComparison.Ordinal) ? $"rtp_ports\t\t{rtp}-{rtp + 19}"
                : l.StartsWith("snd_path", StringComparison.Ordinal) ? $"snd_path\t\t{directory}"
                : l);
        File.WriteAllLines(Path.Combine(directory, "config"), config);
        File.WriteAllText(Path.Combine(directory, "accounts"),
            $"<sip:op1001@127.0.0.1:{serverPort}>;auth_user=op1001;auth_pass=op1001-Secret!;answermode=auto;audio_codecs=PCMU,PCMA;regint=300;ptime=20\n");
    }

    private static Process StartBaresip(string profile, System.Collections.Concurrent.ConcurrentQueue<string> log)
    {
        var info = new ProcessStartInfo("baresip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = profile,
        };
        foreach (var a in new[] { "-f", profile, "-t", "40" })
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Share of the signal's energy at one frequency (Goertzel over the whole window, Hann-free: the window is long).</summary>
    private static double ToneShare(ReadOnlySpan<short> samples, int sampleRate, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double previous = 0, beforePrevious = 0, energy = 0;
        foreach (var s in samples)
        {
            var current = s + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
            energy += (double)s * s;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        // A pure sine of amplitude A over N samples gives power (A N / 2)^2 and energy A^2 N / 2.
        return energy == 0 ? 0 : 2 * power / (samples.Length * energy);
    }
}
