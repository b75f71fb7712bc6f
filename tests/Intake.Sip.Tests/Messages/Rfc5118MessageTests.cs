using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

/// <summary>RFC 5118: IPv6 torture messages.</summary>
public sealed class Rfc5118MessageTests
{
    private const string Corpus = "rfc5118";

    [Theory]
    [InlineData("ipv6-good")]
    [InlineData("port-ambiguous")]
    [InlineData("port-unambiguous")]
    [InlineData("via-received-param-with-delim")]
    [InlineData("via-received-param-no-delim")]
    [InlineData("mult-ip-in-header")]
    [InlineData("ipv6-correct-abnf-2-colons")]
    public void Parse_ValidIPv6Message_Succeeds(string name)
    {
        var result = TestMessages.Parse(Corpus, name);

        Assert.True(result.Success, $"{name}: {result.Error}");
    }

    [Fact]
    public void Parse_Ipv6Good_KeepsBracketsInHosts()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "ipv6-good").Message);

        Assert.Equal("[2001:db8::10]", request.RequestUri.Host);
        Assert.Null(request.RequestUri.Port);
        Assert.Equal("[2001:db8::9:1]", request.TopVia!.Host);
        Assert.Equal("[2001:db8::9:1]", request.TopVia.SentBy);
        Assert.Equal("[2001:db8::1]", Assert.Single(request.Contacts).Uri.Host);
    }

    [Fact]
    public void Parse_Ipv6Bad_RejectsUnbracketedAddress()
    {
        var result = TestMessages.Parse(Corpus, "ipv6-bad");

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Bad Request - Invalid Request-URI", result.Error);
    }

    [Fact]
    public void Parse_PortAmbiguous_ReadsWholeBracketAsAddress()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "port-ambiguous").Message);

        Assert.Equal("[2001:db8::10:5070]", request.RequestUri.Host);
        Assert.Null(request.RequestUri.Port);
    }

    [Fact]
    public void Parse_PortUnambiguous_ReadsPortAfterBracket()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "port-unambiguous").Message);

        Assert.Equal("[2001:db8::10]", request.RequestUri.Host);
        Assert.Equal(5070, request.RequestUri.Port);
    }

    [Theory]
    [InlineData("via-received-param-with-delim", "[2001:db8::9:255]")]
    [InlineData("via-received-param-no-delim", "2001:db8::9:255")]
    public void Parse_ViaReceivedIPv6_AcceptsBothForms(string name, string received)
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, name).Message);

        Assert.Equal(received, request.TopVia!.Received);
    }

    [Fact]
    public void Parse_MultIpInHeader_ReadsMixedFamilies()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "mult-ip-in-header").Message);

        Assert.Equal(["[2001:db8::9:1]", "192.0.2.1", "[2001:db8::9:255]"], request.Vias.Select(v => v.Host));
        Assert.Equal(6050, request.TopVia!.Port);
        Assert.Equal("[2001:db8::9:1]:6050", request.TopVia.SentBy);
        Assert.Equal("192.0.2.200", request.Vias[2].Received);
    }

    [Fact]
    public void Parse_Ipv6BugAbnf3Colons_RejectsInvalidAddress()
    {
        var result = TestMessages.Parse(Corpus, "ipv6-bug-abnf-3-colons");

        Assert.Equal(400, result.StatusCode);
    }

    [Theory]
    [InlineData("ipv6-in-sdp", 268, 251)]
    [InlineData("ipv4-mapped-ipv6", 236, 245)]
    [InlineData("mult-ip-in-sdp", 181, 189)]
    public void Parse_SdpMessages_ApplyTheDatagramContentLengthRule(string name, int declared, int actual)
    {
        // The Content-Length values printed in RFC 5118 do not match the bodies printed with them; the parser
        // applies RFC 3261 §18.3: too short a body is a 400, extra octets are dropped.
        var result = TestMessages.Parse(Corpus, name);

        if (declared > actual)
        {
            Assert.Equal(400, result.StatusCode);
            Assert.Equal("Bad Request - Content-Length exceeds message body", result.Error);
        }
        else
        {
            Assert.True(result.Success, result.Error);
            Assert.Equal(declared, result.Message!.Body.Length);
        }
    }

    [Theory]
    [InlineData("ipv6-in-sdp")]
    [InlineData("ipv4-mapped-ipv6")]
    [InlineData("mult-ip-in-sdp")]
    public void Parse_SdpMessagesWithCorrectedLength_Succeed(string name)
    {
        var text = Encoding.UTF8.GetString(TestMessages.Load(Corpus, name));
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = text[(split + 4)..];
        var headers = System.Text.RegularExpressions.Regex.Replace(text[..split], @"Content-Length: \d+", "Content-Length: " + body.Length);

        var message = SipParser.Parse(Encoding.UTF8.GetBytes(headers + "\r\n\r\n" + body)).Message;

        Assert.NotNull(message);
        Assert.Contains("IN IP6", Encoding.UTF8.GetString(message.Body.Span), StringComparison.Ordinal);
        Assert.StartsWith("[", message.TopVia!.Host, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Ipv4MappedIPv6_ReadsViaPort()
    {
        var text = Encoding.UTF8.GetString(TestMessages.Load(Corpus, "ipv4-mapped-ipv6")).Replace("Content-Length: 236", "Content-Length: 0", StringComparison.Ordinal);

        var request = TestMessages.ParseRequest(Encoding.UTF8.GetBytes(text));

        Assert.Equal("[::ffff:192.0.2.10]", request.TopVia!.Host);
        Assert.Equal(19823, request.TopVia.Port);
        Assert.Equal("[::ffff:192.0.2.2]", Assert.Single(request.Contacts).Uri.Host);
    }
}
