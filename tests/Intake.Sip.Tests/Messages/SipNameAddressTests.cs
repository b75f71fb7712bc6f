using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipNameAddressTests
{
    [Fact]
    public void TryParse_NameAddrWithQuotedDisplayName_UnescapesIt()
    {
        Assert.True(SipNameAddress.TryParse("\"Alice \\\"A\\\" Smith\" <sip:alice@example.com;transport=tcp>;tag=88sja8x", out var value));

        Assert.Equal("Alice \"A\" Smith", value!.DisplayName);
        Assert.Equal("tcp", value.Uri.Transport);
        Assert.Equal("88sja8x", value.Tag);
    }

    [Fact]
    public void TryParse_AddrSpec_GivesParametersToHeader()
    {
        Assert.True(SipNameAddress.TryParse("sip:alice@example.com;tag=1;transport=tcp", out var value));

        Assert.Null(value!.DisplayName);
        Assert.Empty(value.Uri.Parameters);
        Assert.Equal("1", value.Tag);
        Assert.Equal("tcp", value.GetParameter("transport"));
    }

    [Fact]
    public void TryParse_TokenDisplayName_KeepsInnerSpaces()
    {
        Assert.True(SipNameAddress.TryParse("Alice  Smith <sip:alice@example.com>", out var value));

        Assert.Equal("Alice  Smith", value!.DisplayName);
    }

    [Fact]
    public void TryParse_Wildcard_IsRecognised()
    {
        Assert.True(SipNameAddress.TryParse(" * ", out var value));

        Assert.True(value!.IsWildcard);
        Assert.Equal("*", value.ToString());
    }

    [Theory]
    [InlineData("\"unterminated <sip:a@example.com>")]
    [InlineData("Bell, Alexander <sip:a@example.com>")]
    [InlineData("< sip:a@example.com >")]
    [InlineData("sip:a@example.com?Route=x")]
    [InlineData("<sip:a@example.com>;;tag=1")]
    [InlineData("<sip:a@example.com")]
    [InlineData("")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(SipNameAddress.TryParse(text, out _));
    }

    [Fact]
    public void WithTag_OnAddrSpec_ProducesNameAddrForm()
    {
        Assert.True(SipNameAddress.TryParse("sip:bob@example.com", out var value));

        var tagged = value!.WithTag("abc");

        Assert.Equal("<sip:bob@example.com>;tag=abc", tagged.ToString());
        Assert.Null(value.Tag);
    }

    [Fact]
    public void Constructor_WithDisplayName_QuotesItOnOutput()
    {
        var value = new SipNameAddress(SipUri.Parse("sip:op1@intake.example"), "Operator \"1\"");

        Assert.Equal("\"Operator \\\"1\\\"\" <sip:op1@intake.example>", value.ToString());
        Assert.True(SipNameAddress.TryParse(value.ToString(), out var again));
        Assert.Equal("Operator \"1\"", again!.DisplayName);
    }
}
