using System.Globalization;

namespace Intake.LoadGen;

/// <summary>Command line of the generator; every run is bounded by <see cref="MaxSeconds"/>.</summary>
internal sealed record LoadGenOptions(
    string AnnounceFile,
    string OutputFile,
    int HoldMs,
    int TailMs,
    int Calls,
    int MaxSeconds,
    int ReceiveThreads,
    int EchoPort)
{
    public const string Usage =
        "Intake.LoadGen --announce FILE --out JSON --hold-ms MS [--tail-ms 500] [--calls N] [--max-seconds 600] [--receive-threads 2] [--echo-port P]\n" +
        "  Follows FILE (SIPp -trace_logs of bench/load/caller_rtpgen.xml: lines \"CALL index server-port pt our-port\"),\n" +
        "  sends a tagged G.711 tone from 127.0.0.1:our-port to the server for MS ms per call, counts what comes back,\n" +
        "  and writes JSON when N calls are done, on SIGTERM/SIGINT, or after --max-seconds.\n" +
        "  --echo-port: also be the operators' media (their SDP answers point at 127.0.0.1:P): echo every packet back\n" +
        "  to its sender and count per call what arrived, so both passes through the server are measured.";

    /// <summary>Parses the arguments; null with <paramref name="error"/> set on bad input.</summary>
    public static LoadGenOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        string? announce = null, output = null;
        int hold = -1, tail = 500, calls = 0, maxSeconds = 600, threads = 2, echoPort = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"{name} needs a value";
                return null;
            }

            var value = args[++i];
            var ok = name switch
            {
                "--announce" => Set(ref announce, value),
                "--out" => Set(ref output, value),
                "--hold-ms" => TryInt(value, 1, 24 * 3600 * 1000, ref hold),
                "--tail-ms" => TryInt(value, 0, 60_000, ref tail),
                "--calls" => TryInt(value, 0, PacketTag.MaxCallIndex, ref calls),
                "--max-seconds" => TryInt(value, 1, 24 * 3600, ref maxSeconds),
                "--receive-threads" => TryInt(value, 1, 16, ref threads),
                "--echo-port" => TryInt(value, 0, 65535, ref echoPort),
                _ => false,
            };
            if (!ok)
            {
                error = $"bad option {name} {value}";
                return null;
            }
        }

        if (announce is null || output is null || hold < 0)
        {
            error = "--announce, --out and --hold-ms are required";
            return null;
        }

        return new LoadGenOptions(announce, output, hold, tail, calls, maxSeconds, threads, echoPort);
    }

    private static bool Set(ref string? target, string value)
    {
        target = value;
        return value.Length > 0;
    }

    private static bool TryInt(string value, int min, int max, ref int target)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            return false;
        }

        target = v;
        return true;
    }
}
