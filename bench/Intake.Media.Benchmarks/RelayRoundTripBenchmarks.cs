using BenchmarkDotNet.Attributes;

namespace Intake.Media.Benchmarks;

/// <summary>
/// Wall time and allocations of bursts through the loopback relay (phone A → relay → phone B).
/// Allocation columns count every thread, so they include the relay's receive loops.
/// </summary>
[MemoryDiagnoser]
public class RelayRoundTripBenchmarks
{
    private const int PacketsPerInvoke = 32;
    private LoopbackRelayRig _rig = null!;

    [Params(false, true)]
    public bool Transcode { get; set; }

    [GlobalSetup]
    public void Setup() => _rig = LoopbackRelayRig.Create(53000, Transcode, null);

    [GlobalCleanup]
    public Task Cleanup() => _rig.DisposeAsync().AsTask();

    [Benchmark(OperationsPerInvoke = PacketsPerInvoke)]
    public int RelayPacket() => _rig.Burst(PacketsPerInvoke);
}
