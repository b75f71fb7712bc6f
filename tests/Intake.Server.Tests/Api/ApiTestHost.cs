using Grpc.Core;
using Grpc.Net.Client;
using Intake.Server.Api;
using Intake.Server.Events;
using Intake.Server.Storage;
using Intake.Server.Tests.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Tests.Api;

/// <summary>
/// The gRPC API hosted as the server hosts it (<c>ConfigureIntakeKestrel</c>, <c>AddIntakeEventsAndApi</c>,
/// <c>MapIntakeApi</c>) on a real Kestrel at 127.0.0.1 on an ephemeral port, over a SQLite file in a temp directory.
/// </summary>
internal sealed class ApiTestHost : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly WebApplication _app;
    private bool _stopped;

    private ApiTestHost(TempDirectory directory, WebApplication app, string address)
    {
        _directory = directory;
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 16 * 1024 * 1024 });
    }

    public string Address { get; }

    /// <summary>The port Kestrel bound.</summary>
    public int Port => new Uri(Address).Port;

    public string DataDirectory => _directory.Path;

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public IEventStore Events => Services.GetRequiredService<IEventStore>();

    public static async Task<ApiTestHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, TempDirectory? directory = null)
    {
        directory ??= new TempDirectory();
        var builder = WebApplication.CreateSlimBuilder();
        var config = new Dictionary<string, string?>
        {
            ["Intake:DataDirectory"] = directory.Path,
            ["Grpc:BindAddress"] = "127.0.0.1",
            ["Grpc:Port"] = "0",
            ["Storage:RetentionDays"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.ConfigureIntakeKestrel();
        builder.Services.AddIntakeEventsAndApi(builder.Configuration);
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapIntakeApi();
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(startTimeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiTestHost(directory, app, address);
    }

    public static Metadata Bearer(string key) => new() { { "authorization", $"Bearer {key}" } };

    public async Task<List<CallEventRecord>> AppendManyAsync(int count, string callId = "c1")
    {
        var records = new List<CallEventRecord>(count);
        for (var i = 0; i < count; i++)
        {
            records.Add(await Events.AppendAsync(TestEvents.Dtmf(callId, i)));
        }

        return records;
    }

    /// <summary>Stops the server but keeps the data directory, for restart tests.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Channel.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }
}
