using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// A loopback UDP port standing in for a caller's RTP port, watched by dumpcap (Wireshark's capture tool): the packets'
/// times are the kernel's, so a busy machine delaying the test process does not distort rates and gaps.
/// </summary>
public sealed class LoopbackCapture : IAsyncDisposable
{
    private readonly Socket _sink = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "intake-capture-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly StringBuilder _log = new();
    private Process? _dumpcap;

    private LoopbackCapture()
    {
        Port = FreePorts.Next(evenPair: true);
        // Bound so that the packets are delivered, not answered with ICMP port unreachable; nobody reads them.
        _sink.Bind(new IPEndPoint(IPAddress.Loopback, Port));
        _sink.ReceiveBufferSize = 1 << 20;
        Directory.CreateDirectory(_directory);
    }

    public int Port { get; }

    private string FilePath => Path.Combine(_directory, "rtp.pcap");

    public static async Task<LoopbackCapture> StartAsync(TimeSpan timeout)
    {
        var capture = new LoopbackCapture();
        var info = new ProcessStartInfo("dumpcap")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-i", "lo", "-q", "-P", "-s", "256", "-f", $"udp dst port {capture.Port}", "-w", capture.FilePath })
        {
            info.ArgumentList.Add(a);
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (capture._log)
            {
                capture._log.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("Capturing on", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        capture._dumpcap = process;
        try
        {
            await started.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await capture.DisposeAsync();
            throw new TimeoutException("dumpcap did not start capturing:\n" + capture.Log);
        }

        return capture;
    }

    private string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Stops dumpcap (SIGTERM, so it writes out what it holds) and returns the RTP packets it captured.</summary>
    public async Task<IReadOnlyList<PcapRtp.Packet>> StopAsync(TimeSpan timeout)
    {
        var process = _dumpcap!;
        if (!process.HasExited)
        {
            NativeSignals.Send(process.Id, NativeSignals.SigTerm);
        }

        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return File.Exists(FilePath) ? PcapRtp.Read(FilePath) : throw new InvalidOperationException("no capture file:\n" + Log);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dumpcap is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _dumpcap?.Dispose();
        _sink.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
