using System.Net;
using Intake.Server.Configuration;
using Intake.Server.Security;
using Microsoft.Extensions.Configuration;

namespace Intake.Server.Tests.Security;

public sealed class TrunkAclTests
{
    private static TrunkAcl Acl(params (string Name, string[] Sources)[] trunks) =>
        new(trunks.Select(t => new TrunkOptions { Name = t.Name, Sources = [.. t.Sources] }));

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Theory]
    [InlineData("203.0.113.0", true)]
    [InlineData("203.0.113.255", true)]
    [InlineData("203.0.114.1", false)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.2", false)]
    public void TryMatch_Ipv4BlocksAndSingleAddress_MatchesOnlyInside(string source, bool expected)
    {
        var acl = Acl(("carrier", ["203.0.113.0/24", "127.0.0.1"]));

        var matched = acl.TryMatch(IPAddress.Parse(source), out var trunk);

        Assert.Equal(expected, matched);
        Assert.Equal(expected ? "carrier" : string.Empty, trunk);
    }

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db8:ffff:ffff::1", true)]
    [InlineData("2001:db9::1", false)]
    [InlineData("::1", true)]
    [InlineData("::2", false)]
    public void TryMatch_Ipv6BlocksAndSingleAddress_MatchesOnlyInside(string source, bool expected)
    {
        var acl = Acl(("carrier", ["2001:db8::/32", "::1"]));

        Assert.Equal(expected, acl.TryMatch(IPAddress.Parse(source), out _));
    }

    [Fact]
    public void TryMatch_Ipv4MappedSource_MatchesIpv4Block()
    {
        var acl = Acl(("carrier", ["203.0.113.0/24"]));

        Assert.True(acl.TryMatch(IPAddress.Parse("::ffff:203.0.113.7"), out var trunk));
        Assert.Equal("carrier", trunk);
        Assert.False(acl.TryMatch(IPAddress.Parse("::ffff:198.51.100.7"), out _));
    }

    [Fact]
    public void TryMatch_MappedBlockInConfiguration_MatchesPlainIpv4Source()
    {
        var acl = Acl(("carrier", ["::ffff:203.0.113.0/120"]));

        Assert.True(acl.TryMatch(IPAddress.Parse("203.0.113.9"), out _));
    }

    [Fact]
    public void TryMatch_Ipv4BlockAgainstIpv6Source_DoesNotMatch()
    {
        var acl = Acl(("carrier", ["0.0.0.0/0"]));

        Assert.True(acl.TryMatch(IPAddress.Parse("198.51.100.1"), out _));
        Assert.False(acl.TryMatch(IPAddress.Parse("2001:db8::1"), out _));
    }

    [Fact]
    public void TryMatch_NoTrunks_AllowsEverySourceWithEmptyName()
    {
        var acl = Acl();

        Assert.True(acl.AllowsAnySource);
        Assert.True(acl.TryMatch(IPAddress.Parse("198.51.100.1"), out var trunk));
        Assert.Equal(string.Empty, trunk);
        Assert.True(acl.TryMatch(IPAddress.IPv6Loopback, out _));
    }

    [Fact]
    public void TryMatch_OverlappingBlocks_MostSpecificTrunkWins()
    {
        var acl = Acl(("wide", ["10.0.0.0/8"]), ("narrow", ["10.1.2.0/24"]));

        Assert.True(acl.TryMatch(IPAddress.Parse("10.1.2.3"), out var narrow));
        Assert.Equal("narrow", narrow);
        Assert.True(acl.TryMatch(IPAddress.Parse("10.9.9.9"), out var wide));
        Assert.Equal("wide", wide);
    }

    [Fact]
    public void FromConfiguration_SourcesAsListOrSingleString_BothBind()
    {
        var acl = TrunkAcl.FromConfiguration(Config(
            ("Trunks:0:Name", "a"),
            ("Trunks:0:Sources:0", "192.0.2.0/24"),
            ("Trunks:0:Sources:1", "2001:db8::/32"),
            ("Trunks:1:Name", "b"),
            ("Trunks:1:Sources", "198.51.100.10")));

        Assert.Equal(["a", "b"], acl.TrunkNames);
        Assert.True(acl.TryMatch(IPAddress.Parse("2001:db8::5"), out var a));
        Assert.Equal("a", a);
        Assert.True(acl.TryMatch(IPAddress.Parse("198.51.100.10"), out var b));
        Assert.Equal("b", b);
    }

    [Theory]
    [InlineData("10.0.0.300/8", "Trunks:0:Sources:1: '10.0.0.300/8' is not a CIDR block.")]
    [InlineData("10.0.0.0/33", "Trunks:0:Sources:1: '10.0.0.0/33' has a prefix length over 32.")]
    [InlineData("2001:db8::/129", "Trunks:0:Sources:1: '2001:db8::/129' has a prefix length over 128.")]
    [InlineData("10.0.0.0/", "Trunks:0:Sources:1: '10.0.0.0/' is not a CIDR block.")]
    [InlineData("10.0.0.0/-1", "Trunks:0:Sources:1: '10.0.0.0/-1' is not a CIDR block.")]
    [InlineData("10.1", "Trunks:0:Sources:1: '10.1' is not an IP address or CIDR block.")]
    [InlineData("gateway.example", "Trunks:0:Sources:1: 'gateway.example' is not an IP address or CIDR block.")]
    [InlineData("203.0.113.5/24", "Trunks:0:Sources:1: '203.0.113.5/24' has bits set after the prefix (the block would be 203.0.113.0/24).")]
    [InlineData("2001:db8::1/32", "Trunks:0:Sources:1: '2001:db8::1/32' has bits set after the prefix (the block would be 2001:db8::/32).")]
    public void Validate_BadSource_NamesKeyAndValue(string bad, string expected)
    {
        var errors = TrunkAcl.Validate(Config(
            ("Trunks:0:Name", "carrier"),
            ("Trunks:0:Sources:0", "127.0.0.1"),
            ("Trunks:0:Sources:1", bad)));

        Assert.Equal([expected], errors);
    }

    [Fact]
    public void Validate_MissingNameDuplicateNameAndNoSources_ReportsEach()
    {
        var errors = TrunkAcl.Validate(Config(
            ("Trunks:0:Name", "carrier"),
            ("Trunks:0:Sources:0", "127.0.0.1"),
            ("Trunks:1:Name", "carrier"),
            ("Trunks:1:Sources:0", "::1"),
            ("Trunks:2:Sources:0", "192.0.2.1"),
            ("Trunks:3:Name", "empty"))).ToList();

        Assert.Equal(
            [
                "Trunks:1:Name: 'carrier' is already the name of Trunks:0.",
                "Trunks:2:Name must not be empty.",
                "Trunks:3:Sources must list at least one address or CIDR block.",
            ],
            errors);
    }

    [Fact]
    public void Validate_OptionsList_UsesIndexedKeys()
    {
        var errors = TrunkAcl.Validate([new TrunkOptions { Name = "x", Sources = ["127.0.0.1", "::1", "1.2.3.4/40"] }]);

        Assert.Equal(["Trunks:0:Sources:2: '1.2.3.4/40' has a prefix length over 32."], errors);
    }

    [Fact]
    public void Validate_ValidConfiguration_ReportsNothing()
    {
        var errors = TrunkAcl.Validate(Config(
            ("Trunks:0:Name", "carrier"),
            ("Trunks:0:Sources:0", "203.0.113.0/24"),
            ("Trunks:0:Sources:1", "2001:db8::/32"),
            ("Trunks:0:Sources:2", "127.0.0.1"),
            ("Trunks:0:Sources:3", "0.0.0.0/0")));

        Assert.Empty(errors);
    }

    [Fact]
    public void Constructor_InvalidTrunks_ThrowsConfigurationExceptionNamingKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Acl(("carrier", ["300.1.1.1"])));

        Assert.Contains("Trunks:0:Sources:0", ex.Message, StringComparison.Ordinal);
    }
}
