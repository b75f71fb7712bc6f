using System.Net.Sockets;
using Intake.Server;
using Intake.Server.Api;
using Intake.Server.Configuration;
using Intake.Server.Observability;
using Intake.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

try
{
    var configFile = ConfigurationLoader.ResolveConfigFile(ref args);
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = Directory.GetCurrentDirectory(),
    });
    ConfigurationLoader.AddIntakeSources(builder.Configuration, configFile, args);

    // A start-up failure is reported below as one line; the host's own report would add a stack trace.
    builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
    builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning);

    var config = IntakeConfiguration.Bind(builder.Configuration);
    var errors = ConfigurationValidator.Validate(config)
        .Concat(IntakeApiServiceCollectionExtensions.ValidateEventsAndApiConfiguration(builder.Configuration))
        .Concat(IntakeObservabilityExtensions.ValidateObservabilityConfiguration(builder.Configuration))
        .Concat(IntakeSecurityServiceCollectionExtensions.ValidateSecurityConfiguration(builder.Configuration))
        .ToList();
    if (errors.Count > 0)
    {
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"intake: configuration error: {error}");
        }

        return 2;
    }

    builder.ConfigureIntakeKestrel();
    builder.ConfigureIntakeMetricsEndpoint();
    builder.Services.AddIntakeEventsAndApi(builder.Configuration);
    builder.Services.AddIntakeObservability(builder.Configuration);
    builder.Services.AddIntakeSecurity(builder.Configuration);
    builder.Services.AddIntakeServer(config, configFile);
    await using var app = builder.Build();
    app.MapIntakeApi();
    app.MapIntakeObservability();
    await app.RunAsync();
    return 0;
}
catch (ConfigurationException ex)
{
    Console.Error.WriteLine($"intake: configuration error: {ex.Message}");
    return 2;
}
catch (Exception ex) when (FindSocketError(ex) is { } socketError)
{
    Console.Error.WriteLine($"intake: cannot listen: {socketError}");
    return 3;
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"intake: failed to start: {ex.Message}");
    return 1;
}

// A bind failure may arrive wrapped by the host; the admin needs the socket's own words and the endpoint.
static string? FindSocketError(Exception? ex)
{
    for (; ex is not null; ex = ex.InnerException)
    {
        if (ex is SocketException)
        {
            return ex.Message;
        }

        if (ex.InnerException is SocketException inner)
        {
            return $"{ex.Message} ({inner.Message})";
        }
    }

    return null;
}
