namespace Intake.Server.Tests.Integration;

/// <summary>An administrator's mistakes stop the server at start with one line naming the key, never a stack trace.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class StartupTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Start_BadPort_ExitsWithLineNamingKey()
    {
        var (exitCode, output) = await IntakeServerProcess.RunToExitAsync(["--Sip:Port=99999"], Timeout);

        Assert.Equal(2, exitCode);
        Assert.Equal("intake: configuration error: Sip:Port: must be between 1 and 65535 (was 99999)", output.Trim());
    }

    [Fact]
    public async Task Start_NonNumericPort_ExitsWithLineNamingKey()
    {
        var (exitCode, output) = await IntakeServerProcess.RunToExitAsync(["--Sip:Port=fivethousand"], Timeout);

        Assert.Equal(2, exitCode);
        Assert.Contains("Sip:Port", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Start_InvalidJson_ExitsWithLineNamingFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"intake-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{ \"Sip\": { \"Port\": 5060, } ");

        var (exitCode, output) = await IntakeServerProcess.RunToExitAsync(["--config", file], Timeout);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"intake: configuration error: {file}: invalid JSON", output.Trim());
        Assert.DoesNotContain("   at ", output);
        File.Delete(file);
    }

    [Fact]
    public async Task Start_ConfigFileReplacesDefault()
    {
        var file = Path.Combine(Path.GetTempPath(), $"intake-alt-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Queues": [ { "Name": "gendarmerie", "Numbers": [ "177" ] } ] }""");

        await using var server = await IntakeServerProcess.StartAsync(configFile: file);

        await server.WaitForOutputAsync("Serving queue gendarmerie on numbers 177", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("police", server.Output);
        File.Delete(file);
    }

    [Fact]
    public async Task Start_PortInUse_ExitsWithClearLine()
    {
        await using var first = await IntakeServerProcess.StartAsync();

        var (exitCode, output) = await IntakeServerProcess.RunToExitAsync(
            ["--Sip:BindAddress=127.0.0.1", $"--Sip:Port={first.SipPort}", $"--Intake:DataDirectory={first.DataDirectory}-2", "--Grpc:BindAddress=127.0.0.1", $"--Grpc:Port={FreePorts.Next()}"], Timeout);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("intake: cannot listen", output);
        Assert.DoesNotContain("   at ", output);
    }
}
