using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipUriTests
{
    [Fact]
    public void Parse_FullSipUri_ReadsEveryComponent()
    {
        var uri = SipUri.Parse("sips:alice:secret@atlanta.example.com:5061;transport=tls;lr?subject=project%20x&priority=urgent");

        Assert.Equal("sips", uri.Scheme);
        Assert.Equal("alice", uri.User);
        Assert.Equal("secret", uri.Password);
        Assert.Equal("atlanta.example.com", uri.Host);
        Assert.Equal(5061, uri.Port);
        Assert.Equal("tls", uri.Transport);
        Assert.True(uri.HasParameter("lr"));
        Assert.Null(uri.GetParameter("lr"));
        Assert.Equal([new("subject", "project%20x"), new("priority", "urgent")], uri.Headers);
    }

    [Theory]
    [InlineData("sip:[2001:db8::1]:5060", "[2001:db8::1]", 5060)]
    [InlineData("sip:alice@[::1]", "[::1]", null)]
    [InlineData("sip:192.0.2.4", "192.0.2.4", null)]
    public void Parse_Hosts_KeepIPv6Brackets(string text, string host, int? port)
    {
        var uri = SipUri.Parse(text);

        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
    }

    [Theory]
    [InlineData("sip:")]
    [InlineData("sip:@example.com")]
    [InlineData("sip:alice@")]
    [InlineData("sip:alice@example.com:99999")]
    [InlineData("sip:alice@example.com;=x")]
    [InlineData("sip:alice@[2001:db8:::1]")]
    [InlineData("sip:al ice@example.com")]
    [InlineData("sip:alice@example.com%zz")]
    [InlineData("sip:alice@example.com?noequals")]
    [InlineData("<sip:alice@example.com>")]
    public void TryParse_MalformedUri_ReturnsFalse(string text)
    {
        Assert.False(SipUri.TryParse(text, out var uri));
        Assert.Null(uri);
        Assert.Equal(400, Assert.Throws<SipParseException>(() => SipUri.Parse(text)).StatusCode);
    }

    [Fact]
    public void Parse_UnsupportedScheme_Throws416()
    {
        Assert.Equal(416, Assert.Throws<SipParseException>(() => SipUri.Parse("http://example.com/")).StatusCode);
    }

    [Fact]
    public void Parse_TelUri_PutsNumberInUser()
    {
        var uri = SipUri.Parse("tel:+1-201-555-0123;ext=12");

        Assert.Equal("+1-201-555-0123", uri.User);
        Assert.Equal(string.Empty, uri.Host);
        Assert.Equal("12", uri.GetParameter("ext"));
    }

    // RFC 3261 §19.1.4 examples of equivalent URIs.
    [Theory]
    [InlineData("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;security=on")]
    [InlineData("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on")]
    [InlineData("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com")]
    [InlineData("sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x")]
    [InlineData("sip:a@[2001:db8::1]", "sip:a@[2001:DB8:0::1]")]
    [InlineData("tel:+1-201-555-0123", "tel:+12015550123")]
    public void Equals_EquivalentUris_AreEqual(string a, string b)
    {
        var x = SipUri.Parse(a);
        var y = SipUri.Parse(b);

        Assert.True(x.Equals(y));
        Assert.True(y.Equals(x));
        Assert.True(x == y);
        Assert.Equal(x.GetHashCode(), y.GetHashCode());
    }

    // RFC 3261 §19.1.4 examples of URIs that are not equivalent.
    [Theory]
    [InlineData("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting")]
    [InlineData("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4")]
    [InlineData("sip:alice@example.com", "sips:alice@example.com")]
    [InlineData("sip:alice:pw@example.com", "sip:alice@example.com")]
    [InlineData("sip:alice@example.com;maddr=239.255.255.1", "sip:alice@example.com")]
    [InlineData("sip:alice@example.com;user=phone", "sip:alice@example.com")]
    [InlineData("sip:alice@example.com;foo=1", "sip:alice@example.com;foo=2")]
    public void Equals_DifferentUris_AreNotEqual(string a, string b)
    {
        Assert.False(SipUri.Parse(a).Equals(SipUri.Parse(b)));
        Assert.True(SipUri.Parse(a) != SipUri.Parse(b));
    }

    [Fact]
    public void ToString_ParsedUri_IsTextAsReceived()
    {
        const string Text = "sip:%61lice@Example.COM;lr";

        Assert.Equal(Text, SipUri.Parse(Text).ToString());
    }

    [Fact]
    public void WithHostAndWithParameter_BuildCanonicalText()
    {
        var uri = SipUri.Parse("sip:a%20b@example.com;transport=udp")
            .WithHost("[2001:db8::5]", 5070)
            .WithParameter("transport", "tcp")
            .WithParameter("lr", null);

        Assert.Equal("sip:a%20b@[2001:db8::5]:5070;transport=tcp;lr", uri.ToString());
        Assert.True(SipUri.TryParse(uri.ToString(), out var again));
        Assert.Equal(uri, again);
    }
}
