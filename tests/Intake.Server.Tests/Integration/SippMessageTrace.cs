using System.Globalization;

namespace Intake.Server.Tests.Integration;

/// <summary>Reads SIPp's -trace_msg file: every message sent or received, with the time it was seen.</summary>
public static class SippMessageTrace
{
    public sealed record Entry(DateTime Time, bool Received, string FirstLine);

    public static IReadOnlyList<Entry> Read(string path)
    {
        var entries = new List<Entry>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("-----", StringComparison.Ordinal))
            {
                continue;
            }

            var stamp = lines[i].TrimStart('-').Trim();
            if (!DateTime.TryParseExact(stamp, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
                || i + 1 >= lines.Length)
            {
                continue;
            }

            var received = lines[i + 1].Contains("received", StringComparison.Ordinal);
            var first = lines.Skip(i + 2).FirstOrDefault(l => l.Trim().Length > 0) ?? "";
            entries.Add(new Entry(time, received, first.Trim()));
        }

        return entries;
    }

    public static IReadOnlyList<Entry> Received(string path) => [.. Read(path).Where(e => e.Received)];
}
