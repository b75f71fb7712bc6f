using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Intake.Media.Codecs;
using Intake.Media.Io;
using Intake.Media.Relay;
using Intake.Media.Rtp;

namespace Intake.Media.Benchmarks;

/// <summary>
/// The server's shape: many bridged calls at once on one reactor. Phone A sends one packet to each call's caller leg
/// per round (the calls' packets interleave as they do at 50 packets/s each); every operator leg relays to phone B,
/// which reads them all. CPU per relayed packet minus the same traffic sent straight from A to B is the relay's cost
/// when one reactor wake-up finds many sockets ready.
/// </summary>
internal static class ManyRelaysMeasurement
{
    public static async Task RunAsync(int calls, int rounds)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.WriteLine("relay-many needs Linux (the epoll reactor)");
            return;
        }

        Console.WriteLine($"calls {calls}, rounds {rounds} (one packet per call per round), {Environment.ProcessorCount} cores");
        using var reactor = new DatagramReactor(Environment.ProcessorCount);
        using var clock = new MediaClock(TimeProvider.System);
        var pool = new RtpPortPool(42000, 42000 + (calls * 4) + 8);
        var options = new RtpSessionOptions { Reactor = reactor };
        using var phoneA = LoopbackRelayRig.Bind();
        using var phoneB = LoopbackRelayRig.Bind();
        phoneA.ReceiveBufferSize = phoneB.ReceiveBufferSize = 4 * 1024 * 1024;
        phoneB.ReceiveTimeout = 2000;
        var sessions = new List<RtpSession>();
        var relays = new List<RtpRelay>();
        var targets = new List<SocketAddress>();
        try
        {
            for (var i = 0; i < calls; i++)
            {
                if (!RtpSession.TryOpen(pool, IPAddress.Loopback, clock, options, null, out var caller) ||
                    !RtpSession.TryOpen(pool, IPAddress.Loopback, clock, options, null, out var op))
                {
                    throw new InvalidOperationException("RTP ports exhausted");
                }

                sessions.Add(caller!);
                sessions.Add(op!);
                caller!.SetRemote((IPEndPoint)phoneA.LocalEndPoint!);
                caller.SetPayloadFormat(AudioEncoding.Pcmu, 0, 101, 101);
                op!.SetRemote((IPEndPoint)phoneB.LocalEndPoint!);
                op.SetPayloadFormat(AudioEncoding.Pcmu, 0, 101, 101);
                relays.Add(new RtpRelay(caller, op));
                caller.Start();
                op.Start();
                targets.Add(new IPEndPoint(IPAddress.Loopback, caller.LocalPort).Serialize());
            }

            var packet = new byte[12 + 160];
            var buffer = new byte[2048];
            var from = new SocketAddress(AddressFamily.InterNetwork);
            ushort seq = 0;
            uint ts = 0;
            long Round(IReadOnlyList<SocketAddress> to, Socket receiver)
            {
                new RtpHeader(false, 0, seq++, ts += 160, 0x5EED).WriteTo(packet);
                foreach (var target in to)
                {
                    phoneA.SendTo(packet, SocketFlags.None, target);
                }

                var got = 0;
                try
                {
                    for (; got < to.Count; got++)
                    {
                        receiver.ReceiveFrom(buffer, SocketFlags.None, from);
                    }
                }
                catch (SocketException)
                {
                    // A datagram lost on loopback: reported as loss.
                }

                return got;
            }

            var direct = Enumerable.Repeat(phoneB.LocalEndPoint!.Serialize(), calls).ToList();
            for (var i = 0; i < 20; i++)
            {
                Round(targets, phoneB);
                Round(direct, phoneB);
            }

            var baseline = Measure(rounds, () => Round(direct, phoneB));
            var relayed = Measure(rounds, () => Round(targets, phoneB));
            var packets = (double)calls * rounds;
            Console.WriteLine($"direct A->B      cpu/pkt {baseline.Cpu.TotalMicroseconds / packets,6:F2} µs  received {baseline.Received}/{packets}");
            Console.WriteLine(
                $"relayed x{calls,-5}   cpu/pkt {relayed.Cpu.TotalMicroseconds / packets,6:F2} µs  relay-only {(relayed.Cpu - baseline.Cpu).TotalMicroseconds / packets,6:F2} µs" +
                $"  alloc/pkt {relayed.Allocated / packets,6:F2} B  received {relayed.Received}/{packets}  packets per reactor wake-up {(double)reactor.Datagrams / Math.Max(1, reactor.Rounds):F1}");
        }
        finally
        {
            foreach (var relay in relays)
            {
                relay.Dispose();
            }

            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static (TimeSpan Cpu, long Allocated, long Received) Measure(int rounds, Func<long> round)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var alloc0 = GC.GetTotalAllocatedBytes(precise: true);
        long received = 0;
        for (var r = 0; r < rounds; r++)
        {
            received += round();
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - alloc0;
        process.Refresh();
        return (process.TotalProcessorTime - cpu0, allocated, received);
    }
}
