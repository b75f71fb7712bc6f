using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Intake.Media.Benchmarks;

internal static class Program
{
    // "relay-cpu" and "recorder-cpu" run the process-CPU measurements (CPU time per relayed
    // packet, allocations per packet, recorded streams per core); anything else goes to
    // BenchmarkDotNet (e.g. --filter '*').
    private static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "relay-cpu")
        {
            await RelayCpuMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000, args.Length > 2 ? args[2] : null);
            return 0;
        }

        if (args.Length > 0 && args[0] == "relay-many")
        {
            await ManyRelaysMeasurement.RunAsync(
                args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200,
                args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000);
            return 0;
        }

        if (args.Length > 0 && args[0] == "recorder-cpu")
        {
            await RecorderCpuMeasurement.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100);
            return 0;
        }

        // In-process: no second build of the repository (builds stay in the caller's
        // artifacts path), and socket settings of this process (inline completions) apply.
        var config = DefaultConfig.Instance.AddJob(
            Job.Default.WithWarmupCount(3).WithIterationCount(8).WithToolchain(InProcessEmitToolchain.Instance));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
