namespace Intake.Server.Tests.Integration;

/// <summary>What one SIPp process did: its exit code (0 = every call succeeded), its output and its statistics file.</summary>
public sealed record SippRun(int ExitCode, string Output, string? StatisticsCsv, string WorkDirectory)
{
    /// <summary>A column of the last line of SIPp's -trace_stat CSV (e.g. "SuccessfulCall(C)").</summary>
    public long? LastStatistic(string column)
    {
        if (StatisticsCsv is null)
        {
            return null;
        }

        var lines = StatisticsCsv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
        {
            return null;
        }

        var header = lines[0].Split(';');
        var last = lines[^1].Split(';');
        var index = Array.IndexOf(header, column);
        return index >= 0 && index < last.Length && long.TryParse(last[index], out var value) ? value : null;
    }

    public long SuccessfulCalls => LastStatistic("SuccessfulCall(C)") ?? 0;

    public long FailedCalls => LastStatistic("FailedCall(C)") ?? 0;
}
