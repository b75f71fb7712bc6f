using Intake.Server.Api;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Intake.Server.Security;

/// <summary>Registration of the trunk access list and the per-source rate limiter.</summary>
public static class IntakeSecurityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TrunkAcl"/> (from <c>Trunks</c>) and <see cref="SourceRateLimiter"/> (from <c>Security</c>)
    /// as singletons; the <c>Security</c> options are validated at start with messages naming the keys.
    /// </summary>
    public static IServiceCollection AddIntakeSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SecurityOptions>().Bind(configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>>(new OptionsErrorsValidator<SecurityOptions>(o => o.Validate()));
        services.TryAddSingleton(_ => TrunkAcl.FromConfiguration(configuration));
        services.TryAddSingleton<SourceRateLimiter>();
        return services;
    }

    /// <summary>Every problem in the <c>Trunks</c> and <c>Security</c> sections, for a validation pass before the host is built.</summary>
    public static IReadOnlyList<string> ValidateSecurityConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var security = new SecurityOptions();
        try
        {
            configuration.GetSection(SecurityOptions.Section).Bind(security);
        }
        catch (InvalidOperationException ex)
        {
            // The binder's message names the key ("Failed to convert configuration value at 'Security:...'").
            return [.. TrunkAcl.Validate(configuration), ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}"];
        }

        return [.. TrunkAcl.Validate(configuration), .. security.Validate()];
    }
}
