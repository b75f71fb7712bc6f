using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Intake.Media.Benchmarks;

/// <summary>
/// CPU time and allocations per relayed packet. The process CPU of a relayed run minus the
/// CPU of the same traffic sent straight from phone A to phone B (same send + receive by the
/// phones, no relay) is what the relay costs: its receive, rewrite and send.
/// </summary>
internal static class RelayCpuMeasurement
{
    private const int Burst = 32;

    public static async Task RunAsync(int packets, string? only = null)
    {
        Console.WriteLine($"packets per run: {packets}, burst {Burst}, {Environment.ProcessorCount} cores, {RuntimeInformationText()}");
        var direct = MeasureDirect(packets);
        Report("direct phone A -> phone B (baseline)", direct, packets, null);
        // The server's way on Linux (the epoll reactor, one thread per core) and the per-socket async loops.
        using var reactor = OperatingSystem.IsLinux() ? new Intake.Media.Io.DatagramReactor(Environment.ProcessorCount) : null;
        var receivers = reactor is null ? new[] { (string.Empty, (Intake.Media.Io.DatagramReactor?)null) } : new[] { ("reactor ", reactor), ("socket loops ", null) };
        foreach (var (receiver, useReactor) in receivers)
        foreach (var (name, transcode, record) in new[] { ("relay PCMU->PCMU", false, false), ("relay PCMU->PCMA (transcode)", true, false), ("relay PCMU->PCMU + recorder", false, true) })
        {
            if (only is not null && !(receiver + name).Contains(only, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var directory = record ? Directory.CreateTempSubdirectory("intake-bench-").FullName : null;
            var rig = LoopbackRelayRig.Create(52000, transcode, directory, useReactor);
            await using (rig.ConfigureAwait(false))
            {
                // Warm-up: JIT, socket buffers, pooled arrays.
                for (var i = 0; i < 200; i++)
                {
                    rig.Burst(Burst);
                }

                var (datagrams0, rounds0) = useReactor is null || !OperatingSystem.IsLinux() ? (0L, 0L) : (useReactor.Datagrams, useReactor.Rounds);
                var result = Measure(packets, rig.Burst);
                Report(receiver + name, result, packets, direct);
                if (useReactor is not null && OperatingSystem.IsLinux())
                {
                    Console.WriteLine($"{string.Empty,-50} packets per reactor wake-up {(double)(useReactor.Datagrams - datagrams0) / Math.Max(1, useReactor.Rounds - rounds0):F1}");
                }
            }

            if (directory is not null)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static (TimeSpan Cpu, TimeSpan Wall, long Allocated, long Received) MeasureDirect(int packets)
    {
        using var a = LoopbackRelayRig.Bind();
        using var b = LoopbackRelayRig.Bind();
        b.ReceiveTimeout = 2000;
        var target = b.LocalEndPoint!.Serialize();
        var from = new SocketAddress(AddressFamily.InterNetwork);
        var packet = new byte[172];
        var buffer = new byte[2048];
        int Send(int count)
        {
            for (var i = 0; i < count; i++)
            {
                a.SendTo(packet, SocketFlags.None, target);
            }

            for (var i = 0; i < count; i++)
            {
                b.ReceiveFrom(buffer, SocketFlags.None, from);
            }

            return count;
        }

        for (var i = 0; i < 200; i++)
        {
            Send(Burst);
        }

        return Measure(packets, Send);
    }

    private static (TimeSpan Cpu, TimeSpan Wall, long Allocated, long Received) Measure(int packets, Func<int, int> burst)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        var wall = Stopwatch.StartNew();
        long received = 0;
        for (var sent = 0; sent < packets; sent += Burst)
        {
            received += burst(Burst);
        }

        wall.Stop();
        var alloc1 = GC.GetTotalAllocatedBytes(precise: true);
        process.Refresh();
        return (process.TotalProcessorTime - cpu0, wall.Elapsed, alloc1 - alloc0, received);
    }

    private static void Report(string name, (TimeSpan Cpu, TimeSpan Wall, long Allocated, long Received) r, int packets, (TimeSpan Cpu, TimeSpan Wall, long Allocated, long Received)? baseline)
    {
        var perPacket = r.Cpu.TotalMicroseconds / packets;
        var net = baseline is { } b ? perPacket - (b.Cpu.TotalMicroseconds / packets) : (double?)null;
        Console.WriteLine(
            $"{name,-50} cpu/pkt {perPacket,6:F2} µs" +
            (net is { } n ? $"  relay-only {n,6:F2} µs" : string.Empty) +
            $"  alloc/pkt {(double)r.Allocated / packets,7:F2} B  wall/pkt {r.Wall.TotalMicroseconds / packets,6:F2} µs  received {r.Received}/{packets}");
    }

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
