using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Intake.Feed.Benchmarks;

/// <summary>The real Intake server (the Intake.Server.dll copied next to this program) on loopback, in a temp data directory.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, string dataDirectory, int sipPort, int grpcPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        SipPort = sipPort;
        GrpcPort = grpcPort;
    }

    public string DataDirectory { get; }

    public int SipPort { get; }

    public int GrpcPort { get; }

    public int ProcessId => _process.Id;

    public static async Task<ServerProcess> StartAsync(int sipPort, int grpcPort, int rtpPortMin, IEnumerable<string> extraArgs)
    {
        var data = Path.Combine(Path.GetTempPath(), "intake-feedbench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        string[] args =
        [
            "exec", Path.Combine(AppContext.BaseDirectory, "Intake.Server.dll"),
            "--Sip:BindAddress=127.0.0.1", $"--Sip:Port={sipPort}",
            $"--Intake:DataDirectory={data}",
            "--Grpc:BindAddress=127.0.0.1", $"--Grpc:Port={grpcPort}",
            "--Metrics:BindAddress=127.0.0.1", "--Metrics:Port=0",
            $"--Rtp:PortMin={rtpPortMin}", $"--Rtp:PortMax={rtpPortMin + 1999}",
            "--Intake:OperatorKeepAliveSeconds=0",
            .. extraArgs,
        ];
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["Logging__Console__FormatterName"] = "simple";
        var process = new Process { StartInfo = info };
        var server = new ServerProcess(process, data, sipPort, grpcPort);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var listening = $"Now listening on: http://127.0.0.1:{grpcPort.ToString(CultureInfo.InvariantCulture)}";
        var started = Stopwatch.StartNew();
        while (!server._output.Any(l => l.Contains(listening, StringComparison.Ordinal)))
        {
            if (process.HasExited || started.Elapsed > TimeSpan.FromSeconds(60))
            {
                await server.DisposeAsync();
                throw new InvalidOperationException("the server did not start:\n" + string.Join('\n', server._output));
            }

            await Task.Delay(50);
        }

        return server;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        // Only the tail matters (start-up line, errors); the per-call lines would grow without bound.
        _output.Enqueue(line);
        while (_output.Count > 500 && _output.TryDequeue(out _))
        {
        }
    }

    public IEnumerable<string> OutputTail => _output.ToArray();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, as an init system stops it; SIGKILL if it does not exit in time.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp for the OS.
        }
    }
}
