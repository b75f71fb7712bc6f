using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// The real Intake server as a child process on loopback, on ports of its own and a fresh data directory.
/// Its output is kept so tests can wait for log lines and show them on failure.
/// </summary>
public sealed class IntakeServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _outputSignal = new(0);

    private IntakeServerProcess(Process process, int sipPort, string dataDirectory, int rtpPortMin, int grpcPort, int metricsPort = 0)
    {
        _process = process;
        SipPort = sipPort;
        GrpcPort = grpcPort;
        MetricsPort = metricsPort;
        DataDirectory = dataDirectory;
        RtpPortMin = rtpPortMin;
    }

    public int SipPort { get; }

    /// <summary>gRPC (HTTP/2 cleartext) on 127.0.0.1.</summary>
    public int GrpcPort { get; }

    /// <summary>HTTP/1.1 on 127.0.0.1: /metrics, /health/ready, /health/live.</summary>
    public int MetricsPort { get; }

    public string DataDirectory { get; }

    public int RtpPortMin { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output);

    /// <summary>Starts the server and waits until it logs that it listens.</summary>
    public static async Task<IntakeServerProcess> StartAsync(
        IEnumerable<string>? extraArgs = null,
        string? dataDirectory = null,
        int? sipPort = null,
        string? configFile = null,
        TimeSpan? timeout = null)
    {
        var port = sipPort ?? FreePorts.Next();
        var rtpMin = FreePorts.NextBlock(200);
        var grpcPort = FreePorts.Next();
        var metricsPort = FreePorts.Next();
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "intake-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);

        var args = new List<string> { ServerDll };
        if (configFile is not null)
        {
            args.Add("--config");
            args.Add(configFile);
        }

        args.AddRange([
            "--Sip:BindAddress=127.0.0.1",
            $"--Sip:Port={port}",
            $"--Intake:DataDirectory={data}",
            $"--Rtp:PortMin={rtpMin}",
            $"--Rtp:PortMax={rtpMin + 199}",
            "--Logging:LogLevel:Default=Information",
            "--Grpc:BindAddress=127.0.0.1",
            $"--Grpc:Port={grpcPort}",
            "--Metrics:BindAddress=127.0.0.1",
            $"--Metrics:Port={metricsPort}",
            // Calls a test leaves up must not hold the disposal for the production drain of 30 s.
            "--Intake:DrainSeconds=5",
        ]);
        args.AddRange(extraArgs ?? []);

        var server = Launch(args, port, data, rtpMin, grpcPort, metricsPort);
        try
        {
            await server.WaitForOutputAsync("listening", timeout ?? TimeSpan.FromSeconds(30));
            // SIP listens before Kestrel does: a test that talks gRPC right away must not race it.
            await server.WaitForTcpAsync(grpcPort, timeout ?? TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Runs the server binary with the given arguments to completion (for start-up failures).</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IEnumerable<string> args, TimeSpan timeout)
    {
        var server = Launch([ServerDll, .. args], 0, "", 0, 0);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await server._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await server.DisposeAsync();
            throw new TimeoutException("server did not exit:\n" + server.Output);
        }

        // Drain the asynchronous output readers.
        server._process.WaitForExit();
        return (server._process.ExitCode, server.Output);
    }

    private static IntakeServerProcess Launch(IEnumerable<string> args, int port, string data, int rtpMin, int grpcPort, int metricsPort = 0)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("exec");
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new IntakeServerProcess(process, port, data, rtpMin, grpcPort, metricsPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private static string ServerDll => Path.Combine(AppContext.BaseDirectory, "Intake.Server.dll");

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        _outputSignal.Release();
    }

    /// <summary>Waits until 127.0.0.1:<paramref name="port"/> accepts TCP connections.</summary>
    public async Task WaitForTcpAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (deadline.Elapsed < timeout && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been printed.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_output.Any(l => l.Contains(text, StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"server exited with {_process.ExitCode} before printing '{text}':\n{Output}");
            }

            var left = timeout - deadline.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"server did not print '{text}' within {timeout}:\n{Output}");
            }

            await _outputSignal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Sends a signal (SIGTERM for a graceful drain, SIGKILL for a crash) and waits for the exit.</summary>
    public async Task<int> StopAsync(int signal, TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            NativeSignals.Send(_process.Id, signal);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(NativeSignals.SigTerm, TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        _outputSignal.Dispose();
    }
}
