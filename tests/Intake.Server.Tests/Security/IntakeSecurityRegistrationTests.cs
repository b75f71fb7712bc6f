using System.Net;
using Intake.Server.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Intake.Server.Tests.Security;

public sealed class IntakeSecurityRegistrationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void AddIntakeSecurity_Configured_ResolvesAclAndLimiterFromSections()
    {
        var configuration = Config(
            ("Trunks:0:Name", "carrier"),
            ("Trunks:0:Sources:0", "127.0.0.1"),
            ("Security:RegisterBurst", "2"));
        using var services = new ServiceCollection().AddIntakeSecurity(configuration).BuildServiceProvider();

        var acl = services.GetRequiredService<TrunkAcl>();
        var limiter = services.GetRequiredService<SourceRateLimiter>();

        Assert.True(acl.TryMatch(IPAddress.Loopback, out var trunk));
        Assert.Equal("carrier", trunk);
        Assert.False(acl.TryMatch(IPAddress.Parse("127.0.0.2"), out _));
        Assert.True(limiter.TryAcquire(IPAddress.Loopback, TrafficClass.Register));
        Assert.True(limiter.TryAcquire(IPAddress.Loopback, TrafficClass.Register));
        Assert.False(limiter.TryAcquire(IPAddress.Loopback, TrafficClass.Register));
    }

    [Fact]
    public void AddIntakeSecurity_InvalidSecurityOptions_FailsValidationNamingKey()
    {
        using var services = new ServiceCollection().AddIntakeSecurity(Config(("Security:OtherPerSecond", "-1"))).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecurityOptions>>().Value);

        Assert.Contains("Security:OtherPerSecond must be a positive number (got -1).", ex.Failures);
    }

    [Fact]
    public void ValidateSecurityConfiguration_BadTrunkAndBadNumber_ReportsBothWithKeys()
    {
        var errors = IntakeSecurityServiceCollectionExtensions.ValidateSecurityConfiguration(Config(
            ("Trunks:0:Name", "carrier"),
            ("Trunks:0:Sources:0", "10.0.0.300/8"),
            ("Security:RegisterBurst", "many")));

        Assert.Equal(2, errors.Count);
        Assert.Equal("Trunks:0:Sources:0: '10.0.0.300/8' is not a CIDR block.", errors[0]);
        Assert.Contains("Security:RegisterBurst", errors[1], StringComparison.Ordinal);
    }
}
