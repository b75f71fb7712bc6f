using Intake.Server.Configuration;
using Microsoft.Extensions.Configuration;

namespace Intake.Server.Tests.Configuration;

public sealed class ConfigurationValidatorTests
{
    private static IntakeConfiguration Bind(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Queues:0:Name"] = "police",
                ["Queues:0:Numbers:0"] = "19",
            })
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        return IntakeConfiguration.Bind(configuration);
    }

    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(ConfigurationValidator.Validate(Bind()));
    }

    [Theory]
    [InlineData("Sip:Port", "0", "Sip:Port: must be between 1 and 65535 (was 0)")]
    [InlineData("Sip:Port", "70000", "Sip:Port: must be between 1 and 65535 (was 70000)")]
    [InlineData("Sip:BindAddress", "not-an-ip", "Sip:BindAddress: 'not-an-ip' is not an IP address")]
    [InlineData("Rtp:PortMax", "20001", "Rtp:PortMax: the range 20000..20001 must hold at least two RTP/RTCP pairs")]
    [InlineData("Rtp:InactivitySeconds", "0", "Rtp:InactivitySeconds: must be positive (was 0)")]
    [InlineData("Intake:DataDirectory", " ", "Intake:DataDirectory: must not be empty")]
    [InlineData("Queues:0:Numbers:0", "19a", "Queues:0:Numbers:0: '19a' is not a dialled number (digits, *, #, +)")]
    public void Validate_BadValue_NamesKeyAndProblem(string key, string value, string expected)
    {
        var errors = ConfigurationValidator.Validate(Bind((key, value)));
        Assert.Equal(expected, Assert.Single(errors));
    }

    [Fact]
    public void Validate_NumberInTwoQueues_NamesBoth()
    {
        var errors = ConfigurationValidator.Validate(Bind(("Queues:1:Name", "fire"), ("Queues:1:Numbers:0", "19")));
        Assert.Equal("Queues:1:Numbers:0: '19' already belongs to queue 'police'", Assert.Single(errors));
    }

    [Fact]
    public void Validate_DuplicateQueueName_Reported()
    {
        var errors = ConfigurationValidator.Validate(Bind(("Queues:1:Name", "Police"), ("Queues:1:Numbers:0", "17")));
        Assert.Equal("Queues:1:Name: queue 'Police' is defined twice", Assert.Single(errors));
    }

    [Fact]
    public void Validate_NoQueues_Reported()
    {
        var config = IntakeConfiguration.Bind(new ConfigurationBuilder().Build());
        Assert.StartsWith("Queues: at least one queue is required", Assert.Single(ConfigurationValidator.Validate(config)));
    }

    [Fact]
    public void Bind_WrongType_ThrowsNamingKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Bind(("Sip:Port", "abc")));
        Assert.Contains("Sip:Port", ex.Message);
    }
}
