using System.Runtime.Versioning;
using System.Text.Json;

namespace Intake.LoadGen;

/// <summary>Writes the JSON the load benchmark reads (bench/load/analyze.py): per call and totals.</summary>
[SupportedOSPlatform("linux")]
internal static class LoadGenReport
{
    public sealed record RunFigures(
        double WallSeconds,
        double CpuSeconds,
        long Announcements,
        long IgnoredLines,
        long OpenFailures,
        double PacerMaxLatenessMs,
        long PacerLateSends,
        long PacerWakeUps,
        string StopReason);

    public static void Write(string path, IReadOnlyList<GeneratedCall> calls, OperatorEcho? echo, RunFigures run)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("stop_reason", run.StopReason);
        json.WriteNumber("wall_s", run.WallSeconds);
        json.WriteNumber("cpu_s", run.CpuSeconds);
        json.WriteNumber("cpu_pct", run.WallSeconds > 0 ? 100.0 * run.CpuSeconds / run.WallSeconds : 0);
        json.WriteNumber("announcements", run.Announcements);
        json.WriteNumber("ignored_lines", run.IgnoredLines);
        json.WriteNumber("open_failures", run.OpenFailures);
        json.WriteNumber("pacer_max_lateness_ms", run.PacerMaxLatenessMs);
        json.WriteNumber("pacer_late_sends", run.PacerLateSends);
        json.WriteNumber("pacer_wake_ups", run.PacerWakeUps);
        WriteTotals(json, calls);
        if (echo is not null)
        {
            WriteEcho(json, calls, echo);
        }

        json.WriteStartArray("calls");
        foreach (var call in calls.OrderBy(static c => c.Announcement.CallIndex))
        {
            WriteCall(json, call, echo?.Calls.GetValueOrDefault(call.Announcement.CallIndex));
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter json, IReadOnlyList<GeneratedCall> calls)
    {
        long sent = 0, failures = 0, received = 0, tagged = 0, foreign = 0, expected = 0, since = 0, malformed = 0;
        var bridged = 0;
        var jitterMeans = new List<double>();
        double jitterMax = 0, worstLoss = 0;
        foreach (var call in calls)
        {
            var r = call.Returned;
            sent += call.Sent;
            failures += call.SendFailures;
            received += r.Received;
            malformed += r.Malformed;
            tagged += r.Tagged;
            foreign += r.ForeignTagged;
            if (r.FirstTaggedCounter < 0)
            {
                continue;
            }

            bridged++;
            var e = r.ExpectedSinceStart(call.Sent);
            expected += e;
            since += Math.Min(r.TaggedSinceStart, e);
            worstLoss = Math.Max(worstLoss, r.LossPercent(call.Sent) ?? 0);
            if (r.JitterSamples > 0)
            {
                jitterMeans.Add(r.JitterMeanSeconds * 1000);
                jitterMax = Math.Max(jitterMax, r.JitterMaxSeconds * 1000);
            }
        }

        jitterMeans.Sort();
        json.WriteStartObject("totals");
        json.WriteNumber("calls", calls.Count);
        json.WriteNumber("calls_bridged", bridged);
        json.WriteNumber("sent", sent);
        json.WriteNumber("send_failures", failures);
        json.WriteNumber("received", received);
        json.WriteNumber("malformed", malformed);
        json.WriteNumber("tagged", tagged);
        json.WriteNumber("foreign_tagged", foreign);
        json.WriteNumber("expected_since_start", expected);
        json.WriteNumber("tagged_since_start", since);
        if (expected > 0)
        {
            json.WriteNumber("loss_pct", 100.0 * (1.0 - since / (double)expected));
        }
        else
        {
            json.WriteNull("loss_pct");
        }

        json.WriteNumber("worst_call_loss_pct", worstLoss);
        if (jitterMeans.Count > 0)
        {
            json.WriteNumber("jitter_mean_ms_median", jitterMeans[jitterMeans.Count / 2]);
            json.WriteNumber("jitter_mean_ms_p99", jitterMeans[Math.Min(jitterMeans.Count - 1, (int)(jitterMeans.Count * 0.99))]);
            json.WriteNumber("jitter_max_ms", jitterMax);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// The two passes through the server: caller → server → echo (forward) and echo → server → caller (back); what the
    /// echo itself failed to send is neither.
    /// </summary>
    private static void WriteEcho(Utf8JsonWriter json, IReadOnlyList<GeneratedCall> calls, OperatorEcho echo)
    {
        long expected = 0, forwarded = 0, echoed = 0, returned = 0;
        foreach (var call in calls)
        {
            if (!echo.Calls.TryGetValue(call.Announcement.CallIndex, out var e))
            {
                continue;
            }

            var exp = e.ExpectedSinceFirst(call.Sent);
            expected += exp;
            forwarded += Math.Min(e.ReceivedSinceFirst, exp);
            echoed += e.EchoedSinceFirst;
            var r = call.Returned;
            returned += Math.Min(r.TaggedSinceStart, r.ExpectedSinceStart(call.Sent));
        }

        json.WriteStartObject("echo");
        json.WriteNumber("received", echo.Received);
        json.WriteNumber("untagged", echo.Untagged);
        json.WriteNumber("echo_failures", echo.EchoFailures);
        json.WriteNumber("calls", echo.Calls.Count);
        json.WriteNumber("expected_forward", expected);
        json.WriteNumber("forwarded", forwarded);
        json.WriteNumber("echoed", echoed);
        json.WriteNumber("returned", returned);
        if (expected > 0 && echoed > 0)
        {
            var forward = forwarded / (double)expected;
            var back = Math.Min(1.0, returned / (double)echoed);
            json.WriteNumber("loss_forward_pct", 100.0 * (1 - forward));
            json.WriteNumber("loss_back_pct", 100.0 * (1 - back));
            json.WriteNumber("loss_server_pct", 100.0 * (1 - (forward * back)));
        }

        json.WriteEndObject();
    }

    private static void WriteCall(Utf8JsonWriter json, GeneratedCall call, EchoStatistics? echo)
    {
        var a = call.Announcement;
        var r = call.Returned;
        json.WriteStartObject();
        json.WriteNumber("index", a.CallIndex);
        json.WriteNumber("port", a.LocalPort);
        json.WriteNumber("server_port", a.ServerPort);
        json.WriteNumber("pt", a.PayloadType);
        if (call.OpenError is not null)
        {
            json.WriteString("open_error", call.OpenError);
        }

        json.WriteNumber("sent", call.Sent);
        json.WriteNumber("send_failures", call.SendFailures);
        json.WriteNumber("received", r.Received);
        json.WriteNumber("tagged", r.Tagged);
        json.WriteNumber("foreign_tagged", r.ForeignTagged);
        json.WriteNumber("first_tagged_counter", r.FirstTaggedCounter);
        json.WriteNumber("expected_since_start", r.ExpectedSinceStart(call.Sent));
        json.WriteNumber("tagged_since_start", r.TaggedSinceStart);
        if (r.LossPercent(call.Sent) is { } loss)
        {
            json.WriteNumber("loss_pct", loss);
        }
        else
        {
            json.WriteNull("loss_pct");
        }

        if (echo is not null)
        {
            json.WriteNumber("echo_first_counter", echo.FirstCounter);
            json.WriteNumber("echo_received", echo.ReceivedSinceFirst);
            json.WriteNumber("echo_sent", echo.EchoedSinceFirst);
        }

        json.WriteNumber("jitter_mean_ms", r.JitterMeanSeconds * 1000);
        json.WriteNumber("jitter_max_ms", r.JitterMaxSeconds * 1000);
        json.WriteEndObject();
    }
}
