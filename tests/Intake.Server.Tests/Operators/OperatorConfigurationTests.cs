using System.Net;
using System.Text;
using Intake.Server.Configuration;
using Intake.Server.Operators;
using Intake.Sip;
using Intake.Sip.Auth;
using Intake.Sip.Messages;

namespace Intake.Server.Tests.Operators;

public sealed class OperatorConfigurationTests
{
    private static IntakeConfiguration Valid(Action<IntakeConfiguration>? change = null)
    {
        var config = new IntakeConfiguration
        {
            Queues = [new QueueOptions { Name = "police", Numbers = ["19"] }],
            Operators = [new OperatorOptions { Username = "op1001", Password = "pw", Queues = ["police"] }],
        };
        change?.Invoke(config);
        return config;
    }

    [Fact]
    public void Validate_DefaultKeepAliveAndAlgorithms_NoErrors()
    {
        Assert.Empty(ConfigurationValidator.Validate(Valid()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public void Validate_KeepAliveOutOfRange_ErrorNamesKey(int seconds)
    {
        var errors = ConfigurationValidator.Validate(Valid(c => c.Intake.OperatorKeepAliveSeconds = seconds));

        Assert.Contains(errors, e => e.StartsWith("Intake:OperatorKeepAliveSeconds:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SHA-512")]
    [InlineData("MD5-sess")]
    [InlineData("md5")]
    public void Validate_UnsupportedDigestAlgorithm_ErrorNamesIndex(string name)
    {
        var errors = ConfigurationValidator.Validate(Valid(c => c.Intake.DigestAlgorithms = ["SHA-256", name]));

        Assert.Contains(errors, e => e.StartsWith("Intake:DigestAlgorithms:1:", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateDigestAlgorithm_Error()
    {
        var errors = ConfigurationValidator.Validate(Valid(c => c.Intake.DigestAlgorithms = ["MD5", "MD5"]));

        Assert.Contains(errors, e => e.StartsWith("Intake:DigestAlgorithms:1:", StringComparison.Ordinal));
    }

    [Fact]
    public void FromConfiguration_Md5First_KeepsOrderAndPutsBindingsUnderDataDirectory()
    {
        var config = Valid(c =>
        {
            c.Intake.DigestAlgorithms = ["MD5", "SHA-256"];
            c.Intake.DataDirectory = "/var/lib/intake";
            c.Intake.Realm = "centre-a";
        });

        var options = OperatorDirectoryOptions.FromConfiguration(config);

        Assert.Equal([DigestAlgorithm.Md5, DigestAlgorithm.Sha256], options.Algorithms);
        Assert.Equal(Path.Combine("/var/lib/intake", "registrations"), options.RegistrationsDirectory);
        Assert.Equal("centre-a", options.Realm);
    }

    [Fact]
    public void FromConfiguration_KeepAliveZero_Disabled()
    {
        Assert.Null(OperatorRegistrationSettings.FromConfiguration(Valid(c => c.Intake.OperatorKeepAliveSeconds = 0)).KeepAliveInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), OperatorRegistrationSettings.FromConfiguration(Valid()).KeepAliveInterval);
    }

    [Fact]
    public async Task ConfiguredCredentialStore_KeepsOnlyHa1ForRealm()
    {
        var store = new ConfiguredCredentialStore(
            [new OperatorOptions { Username = "op1001", Password = "pw" }, new OperatorOptions { Username = "empty", Password = "" }], "intake");

        var credential = await store.FindAsync("op1001", CancellationToken.None);
        var empty = await store.FindAsync("empty", CancellationToken.None);

        Assert.NotNull(credential);
        Assert.Null(credential.Password);
        Assert.Equal(DigestHash.ComputeHa1(DigestAlgorithm.Md5, "op1001", "intake", "pw"), credential.Ha1Md5);
        Assert.Equal(DigestHash.ComputeHa1(DigestAlgorithm.Sha256, "op1001", "intake", "pw"), credential.Ha1Sha256);
        Assert.Null(empty);
        Assert.Equal(["op1001"], store.Usernames);
    }

    [Theory]
    [InlineData("SIP/2.0/UDP 10.0.0.5:5060;rport=40000;received=203.0.113.9", SipTransportProtocol.Udp, "203.0.113.9:40000")]
    [InlineData("SIP/2.0/UDP 10.0.0.5:5062;received=203.0.113.9", SipTransportProtocol.Udp, "203.0.113.9:5062")]
    [InlineData("SIP/2.0/UDP 127.0.0.1:5070", SipTransportProtocol.Udp, "127.0.0.1:5070")]
    [InlineData("SIP/2.0/TCP 127.0.0.1;rport=51000", SipTransportProtocol.Tcp, "127.0.0.1:5060")]
    [InlineData("SIP/2.0/UDP phone.example;received=[2001:db8::7]", SipTransportProtocol.Udp, "[2001:db8::7]:5060")]
    public void RegistrationSources_StampedVia_PacketSource(string via, SipTransportProtocol transport, string expected)
    {
        var request = Parse(via);

        var source = RegistrationSources.From(request, transport, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1), connectionId: 0);

        Assert.Equal(expected, source.RemoteEndPoint.ToString());
        Assert.Equal(transport, source.Transport);
        Assert.Null(source.ConnectionId);
    }

    [Fact]
    public void RegistrationSources_HostNameViaWithoutReceived_FallbackAddressAndConnectionId()
    {
        var request = Parse("SIP/2.0/TCP phone.example:5070");

        var source = RegistrationSources.From(request, SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 1), connectionId: 7);

        Assert.Equal("192.0.2.1:5070", source.RemoteEndPoint.ToString());
        Assert.Equal("7", source.ConnectionId);
    }

    private static SipRequest Parse(string via)
    {
        var text = $"REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: {via};branch=z9hG4bKx1\r\nMax-Forwards: 70\r\n"
            + "From: <sip:op1001@127.0.0.1>;tag=a\r\nTo: <sip:op1001@127.0.0.1>\r\nCall-ID: s1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";
        var parsed = SipParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(parsed.Success, parsed.Error);
        return (SipRequest)parsed.Message!;
    }
}
