using Intake.Acd.Configuration;
using Intake.Acd.Engine;
using Intake.Acd.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Acd.Tests.Configuration;

public sealed class AcdOptionsValidatorTests
{
    private static AcdOptions Valid() => TestOptions.Options(
        [TestOptions.Queue("police", overflowUri: "sip:overflow@example.org"), TestOptions.Queue("fire")],
        TestOptions.Operator("op1", "police"),
        TestOptions.Operator("op2", "police", "fire"));

    [Fact]
    public void Validate_ValidOptions_ReturnsNoErrors()
    {
        Assert.Empty(AcdOptionsValidator.Validate(Valid()));
    }

    [Fact]
    public void Validate_OperatorNamesUnknownQueue_NamesOperatorAndQueueIndex()
    {
        var options = Valid() with
        {
            Operators = [.. Valid().Operators, TestOptions.Operator("op3", "fire", "polic")],
        };

        var error = Assert.Single(AcdOptionsValidator.Validate(options));

        Assert.Equal("Operators[2].Queues[1]: unknown queue 'polic'", error);
    }

    [Theory]
    [InlineData("http://example.org")]
    [InlineData("sip:")]
    [InlineData("tel:+4912345")]
    public void Validate_OverflowUriNotSip_NamesQueueKey(string uri)
    {
        var options = Valid() with
        {
            Queues = [Valid().Queues[0], TestOptions.Queue("fire", overflowUri: uri)],
        };

        var error = Assert.Single(AcdOptionsValidator.Validate(options));

        Assert.StartsWith("Queues[1].OverflowUri: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sip:a@b")]
    [InlineData("SIPS:a@b")]
    public void IsSipUri_SipOrSipsScheme_ReturnsTrue(string uri)
    {
        Assert.True(AcdOptionsValidator.IsSipUri(uri));
    }

    [Fact]
    public void Validate_DuplicateQueueNameIgnoringCase_ReportsSecond()
    {
        var options = Valid() with { Queues = [.. Valid().Queues, TestOptions.Queue("Police") with { Numbers = ["999"] }] };

        var error = Assert.Single(AcdOptionsValidator.Validate(options));

        Assert.Equal("Queues[2].Name: duplicate queue name 'Police'", error);
    }

    [Fact]
    public void Validate_NumberClaimedByTwoQueues_NamesNumberAndOwner()
    {
        var options = Valid() with
        {
            Queues = [Valid().Queues[0] with { Numbers = ["112", "110"] }, Valid().Queues[1] with { Numbers = ["112"] }],
        };

        var error = Assert.Single(AcdOptionsValidator.Validate(options));

        Assert.Equal("Queues[1].Numbers[0]: number '112' is already claimed by queue 'police'", error);
    }

    [Fact]
    public void Validate_DuplicateUsername_ReportsSecondOperator()
    {
        var options = Valid() with { Operators = [.. Valid().Operators, TestOptions.Operator("op1", "fire")] };

        var error = Assert.Single(AcdOptionsValidator.Validate(options));

        Assert.Equal("Operators[2].Username: duplicate username 'op1'", error);
    }

    [Fact]
    public void Validate_BadNumbersEverywhere_ReportsEachKey()
    {
        var options = new AcdOptions
        {
            Queues =
            [
                TestOptions.Queue("police") with
                {
                    RingTimeoutSeconds = 0,
                    WrapUpSeconds = -1,
                    MaxWaitSeconds = 0,
                    ServiceLevelSeconds = [15, 0, 15],
                },
            ],
            Operators = [TestOptions.OperatorWithSkills("op1", ("police", 0))],
            DefaultQueue = "ambulance",
            MaxConcurrentCalls = 0,
        };

        var errors = AcdOptionsValidator.Validate(options);

        Assert.Equal(
            [
                "Queues[0].RingTimeoutSeconds: must be at least 1, got 0",
                "Queues[0].WrapUpSeconds: must be at least 0, got -1",
                "Queues[0].MaxWaitSeconds: must be at least 1, got 0",
                "Queues[0].ServiceLevelSeconds[1]: must be at least 1, got 0",
                "Queues[0].ServiceLevelSeconds[2]: duplicate threshold 15",
                "Operators[0].Queues[0].SkillLevel: must be at least 1, got 0",
                "DefaultQueue: unknown queue 'ambulance'",
                "MaxConcurrentCalls: must be at least 1 (or absent for no limit), got 0",
            ],
            errors);
    }

    [Fact]
    public void Validate_OperatorWithoutQueuesOrName_ReportsBoth()
    {
        var options = Valid() with { Operators = [new AcdOperatorOptions { Username = " " }] };

        Assert.Equal(
            ["Operators[0].Username: must not be empty", "Operators[0].Queues: must name at least one queue"],
            AcdOptionsValidator.Validate(options));
    }

    [Fact]
    public void EffectiveServiceLevelSeconds_NotConfigured_IsTenFifteenTwenty()
    {
        Assert.Equal([10, 15, 20], new AcdQueueOptions { Name = "q" }.EffectiveServiceLevelSeconds);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithEveryError()
    {
        var options = Valid() with { Operators = [TestOptions.Operator("op1", "polic")] };

        var error = Assert.Throws<ArgumentException>(() => new AcdEngine(options, new FakeTimeProvider()));

        Assert.Contains("Operators[0].Queues[0]: unknown queue 'polic'", error.Message, StringComparison.Ordinal);
    }
}
