using System.Net;
using Intake.Server.Api;
using Intake.Server.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Tests.Observability;

/// <summary>The observability endpoints on a real Kestrel on loopback, next to an HTTP/2-only listener standing in for gRPC.</summary>
public sealed class ObservabilityEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly HttpClient _http = new() { Timeout = Timeout };
    private WebApplication? _app;

    private WebApplication App => _app ?? throw new InvalidOperationException("Not started.");

    private Uri MetricsBase { get; set; } = new("http://127.0.0.1/");

    private Uri GrpcBase { get; set; } = new("http://127.0.0.1/");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Port"] = "0",
            ["Metrics:BindAddress"] = "127.0.0.1",
            ["Grpc:Port"] = "0",
            ["Grpc:BindAddress"] = "127.0.0.1",
        });
        builder.ConfigureIntakeMetricsEndpoint();
        builder.ConfigureIntakeKestrel();
        builder.Services.AddIntakeObservability(builder.Configuration);
        _app = builder.Build();
        _app.MapIntakeObservability();
        using var startTimeout = new CancellationTokenSource(Timeout);
        await _app.StartAsync(startTimeout.Token);

        // Kestrel binds (and reports) the listeners in the order they were configured: metrics first, then gRPC.
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        Assert.Equal(2, addresses.Count);
        MetricsBase = new Uri(addresses[0]);
        GrpcBase = new Uri(addresses[1]);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_CounterIncremented_AppearsInPrometheusText()
    {
        var metrics = App.Services.GetRequiredService<IntakeMetrics>();
        metrics.SipRequestReceived("INVITE");
        metrics.SipRequestReceived("INVITE");
        metrics.SipResponseSent(486);
        metrics.RegisterGauges(queues: () => [new QueueGaugeReading("police", 3, TimeSpan.FromSeconds(8))]);
        metrics.InviteTryingSent(TimeSpan.FromMilliseconds(1.5));

        using var response = await _http.GetAsync(new Uri(MetricsBase, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^intake_sip_requests_received_total\{[^}]*method=""INVITE""[^}]*\} 2( |$)", text);
        Assert.Matches(@"(?m)^intake_sip_responses_sent_total\{[^}]*code=""486""[^}]*\} 1( |$)", text);
        Assert.Matches(@"(?m)^intake_queue_calls_waiting\{[^}]*queue=""police""[^}]*\} 3( |$)", text);
        Assert.Matches(@"(?m)^intake_queue_longest_wait_seconds\{[^}]*queue=""police""[^}]*\} 8( |$)", text);
        Assert.Matches(@"(?m)^intake_sip_invite_trying_latency_milliseconds_bucket\{[^}]*le=""2""[^}]*\} 1( |$)", text);
        Assert.Contains("dotnet_process_cpu_count", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthReady_BeforeAndAfterBeginDrain_FlipsFrom200To503()
    {
        using var before = await _http.GetAsync(new Uri(MetricsBase, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("ready", await before.Content.ReadAsStringAsync());

        App.Services.GetRequiredService<IntakeReadiness>().BeginDrain();

        using var after = await _http.GetAsync(new Uri(MetricsBase, "/health/ready"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Equal("draining", await after.Content.ReadAsStringAsync());

        using var live = await _http.GetAsync(new Uri(MetricsBase, "/health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("alive", await live.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MetricsListener_Http11Request_IsServedOverHttp11()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(MetricsBase, "/health/live"))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/health/ready")]
    [InlineData("/health/live")]
    public async Task Endpoints_OnTheGrpcListener_AreNotServed(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(GrpcBase, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void ValidateObservabilityConfiguration_BadValues_NameKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Port"] = "50051",
            ["Metrics:BindAddress"] = "localhost",
        }).Build();

        Assert.Equal(
            [
                "Metrics:BindAddress must be an IP address (got 'localhost').",
                "Metrics:Port must differ from Grpc:Port (both are 50051).",
            ],
            IntakeObservabilityExtensions.ValidateObservabilityConfiguration(configuration));
    }
}
