using System.Text;
using Intake.Sip.Messages;
using Intake.Sip.Transport;

namespace Intake.Sip.Tests.Transport;

public sealed class SipStartLinePeekTests
{
    private static SipStartLinePeek Read(string text) => SipStartLinePeek.Read(Encoding.ASCII.GetBytes(text));

    [Theory]
    [InlineData("INVITE sip:19@example.net SIP/2.0\r\n", SipMethods.Invite)]
    [InlineData("ACK sip:19@example.net SIP/2.0\r\n", SipMethods.Ack)]
    [InlineData("REGISTER sip:example.net SIP/2.0\r\n", SipMethods.Register)]
    [InlineData("SUBSCRIBE sip:a@example.net SIP/2.0\r\n", SipMethods.Subscribe)]
    public void Read_KnownMethod_RequestWithInternedMethod(string text, string method)
    {
        var line = Read(text);

        Assert.Equal(SipStartLinePeekKind.Request, line.Kind);
        Assert.Equal(method, line.Method);
    }

    [Fact]
    public void Read_ExtensionMethod_RequestWithoutMethod()
    {
        var line = Read("XYZZY sip:a@example.net SIP/2.0\r\n");

        Assert.Equal(SipStartLinePeek.Request(null), line);
        Assert.False(line.IsResponse);
    }

    [Theory]
    [InlineData("SIP/2.0 200 OK\r\n")]
    [InlineData("sip/2.0 180 Ringing\r\n")]
    [InlineData("\r\n\r\nSIP/2.0 100 Trying\r\n")]
    public void Read_StatusLine_Response(string text)
    {
        Assert.True(Read(text).IsResponse);
    }

    [Fact]
    public void Read_LeadingCrlf_SkippedBeforeMethod()
    {
        Assert.Same(SipMethods.Bye, Read("\r\n\r\nBYE sip:a@example.net SIP/2.0\r\n").Method);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n")]
    [InlineData("INVITE")]
    [InlineData(" INVITE sip:a@b SIP/2.0")]
    [InlineData("IN(VITE sip:a@b SIP/2.0")]
    [InlineData("\u0001\u0002\u0003 garbage")]
    public void Read_NoMethodTokenBeforeSpace_Malformed(string text)
    {
        Assert.Equal(SipStartLinePeekKind.Malformed, Read(text).Kind);
    }

    [Fact]
    public void Read_LowercaseKnownMethod_ExtensionMethodSinceMethodsAreCaseSensitive()
    {
        var line = Read("invite sip:a@example.net SIP/2.0\r\n");

        Assert.Equal(SipStartLinePeekKind.Request, line.Kind);
        Assert.Null(line.Method);
    }

    [Fact]
    public void Read_VeryLongToken_ExtensionMethodWithoutScanningTheRest()
    {
        var line = Read(new string('A', 5000) + " sip:a@b SIP/2.0\r\n");

        Assert.Equal(SipStartLinePeek.Request(null), line);
    }
}
