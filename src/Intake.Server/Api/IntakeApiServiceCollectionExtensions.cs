using System.Net;
using Intake.Server.Dispatch;
using Intake.Server.Events;
using Intake.Server.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Intake.Server.Api;

/// <summary>Registration of the event log, the storage, the dispatch push and the gRPC API; see each method.</summary>
public static class IntakeApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers storage (<c>Storage:*</c>), the event log (<see cref="IEventStore"/>, <see cref="EventHub"/>), the
    /// call/recording/registration/cursor stores, retention, the dispatch push (<c>Dispatch:*</c>) and the gRPC services
    /// (<c>Grpc:*</c>) with health checks and reflection. Options are validated at start with messages naming the keys.
    /// </summary>
    public static IServiceCollection AddIntakeEventsAndApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        AddValidatedOptions<StorageOptions>(services, configuration, StorageOptions.Section, o => o.Validate());
        AddValidatedOptions<GrpcApiOptions>(services, configuration, GrpcApiOptions.Section, o => o.Validate());
        AddValidatedOptions<DispatchOptions>(services, configuration, DispatchOptions.Section, o => o.Validate());

        var dataDirectory = DataDirectory(configuration);
        services.AddSingleton(sp => new SqlStorageBackend(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.CreateDialect(dataDirectory), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStorageBackend>(sp => sp.GetRequiredService<SqlStorageBackend>());
        services.AddSingleton<ICallStore>(sp => sp.GetRequiredService<SqlStorageBackend>());
        services.AddSingleton<IRecordingStore>(sp => sp.GetRequiredService<SqlStorageBackend>());
        services.AddSingleton<IRegistrationPersistence>(sp => sp.GetRequiredService<SqlStorageBackend>());
        services.AddSingleton<IDispatchCursorStore>(sp => sp.GetRequiredService<SqlStorageBackend>());

        services.AddSingleton<EventHub>();
        services.AddSingleton<EventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<EventStore>());
        services.AddHostedService<StorageStartupService>();
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        services.AddSingleton<DispatchService>();
        services.AddSingleton<IDispatchStatus>(sp => sp.GetRequiredService<DispatchService>());
        services.AddHostedService(sp => sp.GetRequiredService<DispatchService>());

        services.AddGrpc(options => options.Interceptors.Add<ApiKeyInterceptor>());
        services.AddGrpcHealthChecks().AddCheck<StorageHealthCheck>("storage");
        services.AddGrpcReflection();
        return services;
    }

    /// <summary>Maps the gRPC services, <c>grpc.health.v1.Health</c> and server reflection.</summary>
    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<CallFeedService>();
        endpoints.MapGrpcService<CallsService>();
        endpoints.MapGrpcService<RecordingsService>();
        endpoints.MapGrpcService<QueuesService>();
        endpoints.MapGrpcService<OperatorsService>();
        endpoints.MapGrpcHealthChecksService();
        endpoints.MapGrpcReflectionService();
        return endpoints;
    }

    /// <summary>
    /// Makes Kestrel listen on <c>Grpc:BindAddress</c>:<c>Grpc:Port</c> with HTTP/2 only: cleartext (h2c, prior
    /// knowledge) by default, or over TLS when <c>Grpc:CertificatePath</c> is set. Port 0 picks a free port.
    /// </summary>
    public static WebApplicationBuilder ConfigureIntakeKestrel(this WebApplicationBuilder builder, GrpcApiOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (options is null)
        {
            options = new GrpcApiOptions();
            builder.Configuration.GetSection(GrpcApiOptions.Section).Bind(options);
        }

        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new Configuration.ConfigurationException(string.Join(" ", errors));
        }

        var address = IPAddress.Parse(options.BindAddress);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (options.CertificatePath.Length > 0)
            {
                listen.UseHttps(options.CertificatePath, options.CertificatePassword);
            }
        }));
        return builder;
    }

    /// <summary>Every problem in the <c>Storage</c>, <c>Grpc</c> and <c>Dispatch</c> sections, for a validation pass before the host is built.</summary>
    public static IReadOnlyList<string> ValidateEventsAndApiConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = new StorageOptions();
        configuration.GetSection(StorageOptions.Section).Bind(storage);
        var grpc = new GrpcApiOptions();
        configuration.GetSection(GrpcApiOptions.Section).Bind(grpc);
        var dispatch = new DispatchOptions();
        configuration.GetSection(DispatchOptions.Section).Bind(dispatch);
        return [.. storage.Validate(), .. grpc.Validate(), .. dispatch.Validate()];
    }

    private static string DataDirectory(IConfiguration configuration) =>
        configuration[$"{Configuration.IntakeOptions.Section}:{nameof(Configuration.IntakeOptions.DataDirectory)}"] is { Length: > 0 } directory
            ? directory
            : new Configuration.IntakeOptions().DataDirectory;

    private static void AddValidatedOptions<TOptions>(IServiceCollection services, IConfiguration configuration, string section, Func<TOptions, IReadOnlyList<string>> validate)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new OptionsErrorsValidator<TOptions>(validate));
    }
}
