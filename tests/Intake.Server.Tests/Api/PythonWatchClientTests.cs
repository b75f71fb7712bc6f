using System.Diagnostics;
using System.Text.Json;
using Intake.Server.Events;
using Intake.Server.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

using Intake.Server.Tests.Clients;

namespace Intake.Server.Tests.Api;

/// <summary>
/// A client outside .NET: tests/clients/watch_feed.py on Debian's python3-grpcio and python3-protobuf, against the
/// real server on loopback. Missing packages fail the test with the apt command to run.
/// </summary>
public sealed class PythonWatchClientTests
{

    [Fact]
    public async Task WatchFeedScript_ReplayThenLive_PrintsEveryEventInOrderAsJson()
    {
        await using var host = await ApiTestHost.StartAsync(new Dictionary<string, string?> { ["Grpc:ApiKeys:0"] = "py-key" });
        await host.Events.AppendAsync(TestEvents.Offered("c1", "police", "+212644"));
        await host.AppendManyAsync(19);
        var hub = host.Services.GetRequiredService<EventHub>();

        using var script = StartScript(host.Port, "--after", "5", "--count", "25", "--api-key", "py-key");
        var lines = ReadLinesAsync(script);

        // Live events only once the script's Watch is subscribed, so that they come through the live path.
        await WaitAsync(() => hub.SubscriberCount > 0, "the script never subscribed");
        await host.AppendManyAsync(10, "c2");

        var (output, _) = await lines;
        var events = output.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(6, 25).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            events.Select(e => e.GetProperty("sequence").GetString()));
        Assert.All(events.Take(15), e => Assert.Equal("c1", e.GetProperty("call_id").GetString()));
        Assert.All(events.Skip(15), e => Assert.Equal("c2", e.GetProperty("call_id").GetString()));
        Assert.True(events[0].TryGetProperty("dtmf", out _));
        Assert.Equal(0, script.ExitCode);
    }

    [Fact]
    public async Task WatchFeedScript_WrongApiKey_ExitsWithUnauthenticated()
    {
        await using var host = await ApiTestHost.StartAsync(new Dictionary<string, string?> { ["Grpc:ApiKeys:0"] = "py-key" });

        using var script = StartScript(host.Port, "--count", "1", "--api-key", "wrong");
        var (output, stderr) = await ReadLinesAsync(script);

        Assert.Empty(output);
        Assert.Equal(2, script.ExitCode);
        Assert.Contains("UNAUTHENTICATED", stderr, StringComparison.Ordinal);
    }

    private static Process StartScript(int port, params string[] args) => WatchFeedScript.Start(port, 30, args);

    /// <summary>Every stdout line until the script exits (bounded); a script that cannot import grpc fails with the apt hint.</summary>
    private static async Task<(List<string> Lines, string Stderr)> ReadLinesAsync(Process script)
    {
        var (lines, stderr) = await WatchFeedScript.ReadLinesAsync(script, TimeSpan.FromSeconds(60));
        Assert.False(stderr.Contains("ModuleNotFoundError", StringComparison.Ordinal),
            $"watch_feed.py needs Debian packages: apt-get install -y python3-grpcio python3-protobuf ({stderr})");
        return (lines, stderr);
    }

    private static async Task WaitAsync(Func<bool> condition, string failure)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(30), failure);
            await Task.Delay(20);
        }
    }
}
