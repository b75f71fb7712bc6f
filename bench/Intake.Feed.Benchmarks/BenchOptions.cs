using System.Globalization;

namespace Intake.Feed.Benchmarks;

/// <summary>Command line: --calls, --rate, --burst-calls, --burst-rate, --consumers, --hold-ms, --warmup.</summary>
internal sealed record BenchOptions(int Calls, int Rate, int BurstCalls, int BurstRate, int Consumers, int HoldMs, int WarmupCalls)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--calls"] = 300,
            ["--rate"] = 20,
            ["--burst-calls"] = 1000,
            ["--burst-rate"] = 100,
            ["--consumers"] = 10,
            ["--hold-ms"] = 300,
            ["--warmup"] = 20,
        };
        for (var i = 0; i < args.Length; i++)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new ArgumentException($"usage: [{string.Join(" N] [", values.Keys)} N] (bad '{args[i]}')");
            }

            values[args[i]] = value;
            i++;
        }

        return new BenchOptions(values["--calls"], values["--rate"], values["--burst-calls"], values["--burst-rate"], values["--consumers"],
            values["--hold-ms"], values["--warmup"]);
    }
}
