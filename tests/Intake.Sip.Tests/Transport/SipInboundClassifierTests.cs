using System.Net;
using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Transport;

public sealed class SipInboundClassifierTests
{
    private static readonly SipEndPoint Peer = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));

    [Theory]
    [InlineData(SipMethods.Invite)]
    [InlineData(SipMethods.Ack)]
    [InlineData(SipMethods.Cancel)]
    [InlineData(SipMethods.Bye)]
    [InlineData(SipMethods.Prack)]
    [InlineData(SipMethods.Update)]
    [InlineData(SipMethods.Info)]
    public void Classify_CallMethod_High(string method)
    {
        Assert.Equal(SipInboundPriority.High, SipInboundClassifier.Default.Classify(Peer, SipStartLinePeek.Request(method)));
        Assert.True(SipInboundClassifier.IsCallMethod(method));
    }

    [Fact]
    public void Classify_Response_High()
    {
        Assert.Equal(SipInboundPriority.High, SipInboundClassifier.Default.Classify(Peer, SipStartLinePeek.Response));
    }

    [Theory]
    [InlineData(SipMethods.Register)]
    [InlineData(SipMethods.Options)]
    [InlineData(SipMethods.Subscribe)]
    [InlineData(SipMethods.Publish)]
    [InlineData(SipMethods.Message)]
    [InlineData(null)]
    public void Classify_OtherRequest_Low(string? method)
    {
        Assert.Equal(SipInboundPriority.Low, SipInboundClassifier.Default.Classify(Peer, SipStartLinePeek.Request(method)));
        Assert.False(SipInboundClassifier.IsCallMethod(method));
    }

    [Fact]
    public void Classify_Malformed_LowNotDiscarded()
    {
        Assert.Equal(SipInboundPriority.Low, SipInboundClassifier.Default.Classify(Peer, SipStartLinePeek.Malformed));
    }

    [Fact]
    public void IsCallMethod_LowercaseInvite_False()
    {
        Assert.False(SipInboundClassifier.IsCallMethod("invite"));
    }
}
