using System.Net;
using Intake.Server.Api;
using Intake.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Intake.Server.Observability;

/// <summary>
/// Metrics (OpenTelemetry, exported in Prometheus text format), readiness and liveness. Logs need nothing here:
/// <c>Logging:Console:FormatterName=json</c> switches the host's console logger to one JSON object per line.
/// </summary>
public static class IntakeObservabilityExtensions
{
    public const string MetricsPath = "/metrics";
    public const string ReadyPath = "/health/ready";
    public const string LivePath = "/health/live";

    /// <summary>
    /// Registers <see cref="IntakeMetrics"/>, <see cref="IntakeReadiness"/>, the <c>Metrics</c> options (validated at
    /// start) and an OpenTelemetry meter provider exporting the meters Intake, System.Runtime (GC, thread pool, CPU)
    /// and Microsoft.AspNetCore.Server.Kestrel (connections) to Prometheus.
    /// </summary>
    public static IServiceCollection AddIntakeObservability(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMetrics();
        services.TryAddSingleton<IntakeMetrics>();
        services.TryAddSingleton<IntakeReadiness>();
        services.TryAddSingleton(MetricsListenerGuard.Unrestricted());
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MetricsOptions>>(new OptionsErrorsValidator<MetricsOptions>(o => o.Validate()));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("intake"))
            .WithMetrics(metrics => metrics
                .AddMeter(IntakeMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> (Prometheus text), <c>GET /health/live</c> (200 "alive" while the process serves
    /// requests) and <c>GET /health/ready</c> (200 "ready", or 503 "draining" after <see cref="IntakeReadiness.BeginDrain"/>).
    /// When <see cref="ConfigureIntakeMetricsEndpoint"/> added the metrics listener, they answer 404 on other listeners.
    /// </summary>
    public static IEndpointRouteBuilder MapIntakeObservability(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var guard = endpoints.ServiceProvider.GetRequiredService<MetricsListenerGuard>();
        var readiness = endpoints.ServiceProvider.GetRequiredService<IntakeReadiness>();
        endpoints.MapPrometheusScrapingEndpoint(
            MetricsPath,
            meterProvider: null,
            configureBranchedPipeline: branch => branch.Use((context, next) => guard.Admits(context) ? next(context) : NotFound(context)),
            optionsName: null);
        endpoints.MapGet(LivePath, context => guard.Admits(context) ? Text(context, StatusCodes.Status200OK, "alive") : NotFound(context));
        endpoints.MapGet(ReadyPath, context => !guard.Admits(context)
            ? NotFound(context)
            : readiness.IsDraining
                ? Text(context, StatusCodes.Status503ServiceUnavailable, "draining")
                : Text(context, StatusCodes.Status200OK, "ready"));
        return endpoints;
    }

    /// <summary>
    /// Adds a Kestrel listener on <c>Metrics:BindAddress</c>:<c>Metrics:Port</c> (default 0.0.0.0:9090; port 0 picks a
    /// free port) speaking HTTP/1.1, which Prometheus and HTTP probes use. The gRPC listener is HTTP/2 only and
    /// cannot serve them. Does nothing when <c>Metrics:Enabled</c> is false. Throws
    /// <see cref="ConfigurationException"/> naming the key when the section is invalid.
    /// </summary>
    public static WebApplicationBuilder ConfigureIntakeMetricsEndpoint(this WebApplicationBuilder builder, MetricsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (options is null)
        {
            options = new MetricsOptions();
            builder.Configuration.GetSection(MetricsOptions.Section).Bind(options);
        }

        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(" ", errors));
        }

        if (!options.Enabled)
        {
            return builder;
        }

        var guard = MetricsListenerGuard.ForListener(options.Port);
        builder.Services.Replace(ServiceDescriptor.Singleton(guard));
        var address = IPAddress.Parse(options.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                guard.ObserveConnection(connection.LocalEndPoint);
                return next(connection);
            });
        }));
        return builder;
    }

    /// <summary>Every problem in the <c>Metrics</c> section, for a validation pass before the host is built.</summary>
    public static IReadOnlyList<string> ValidateObservabilityConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new MetricsOptions();
        var grpc = new GrpcApiOptions();
        try
        {
            configuration.GetSection(MetricsOptions.Section).Bind(options);
            configuration.GetSection(GrpcApiOptions.Section).Bind(grpc);
        }
        catch (InvalidOperationException ex)
        {
            return [ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}"];
        }

        var errors = options.Validate().ToList();
        if (options.Enabled && options.Port != 0 && options.Port == grpc.Port)
        {
            errors.Add($"{MetricsOptions.Section}:Port must differ from {GrpcApiOptions.Section}:Port (both are {options.Port}).");
        }

        return errors;
    }

    private static Task Text(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
