using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipHeadersTests
{
    [Theory]
    [InlineData("v", HeaderId.Via)]
    [InlineData("VIA", HeaderId.Via)]
    [InlineData("i", HeaderId.CallId)]
    [InlineData("call-id", HeaderId.CallId)]
    [InlineData("m", HeaderId.Contact)]
    [InlineData("l", HeaderId.ContentLength)]
    [InlineData("WWW-Authenticate", HeaderId.WwwAuthenticate)]
    [InlineData("p-asserted-identity", HeaderId.PAssertedIdentity)]
    [InlineData("Geolocation-Routing", HeaderId.GeolocationRouting)]
    [InlineData("X-Custom", HeaderId.Unknown)]
    [InlineData("u", HeaderId.Unknown)]
    public void Identify_NamesAndCompactForms_MapToHeaderId(string name, HeaderId id)
    {
        Assert.Equal(id, SipHeaders.Identify(name));
        Assert.Equal(id, SipHeaders.Identify(System.Text.Encoding.ASCII.GetBytes(name)));
    }

    [Fact]
    public void Indexer_CompactAndLongNames_AreEquivalent()
    {
        var headers = new SipHeaders();
        headers.Add("v", "SIP/2.0/UDP a");
        headers.Add("u", "presence");

        Assert.Equal("SIP/2.0/UDP a", headers["Via"]);
        Assert.Equal("presence", headers["Allow-Events"]);
        Assert.Equal("presence", headers["allow-events"]);
        Assert.Null(headers["Route"]);
    }

    [Fact]
    public void GetAll_ListHeaders_SplitAcrossLinesAndCommas()
    {
        var headers = new SipHeaders();
        headers.Add("Allow", "INVITE, ACK");
        headers.Add("Allow", "BYE");
        headers.Add("Date", "Sat, 13 Nov 2010 23:29:00 GMT");
        headers.Add("X-List", "a, \"b,c\", <d,e>");

        Assert.Equal(["INVITE", "ACK", "BYE"], headers.GetAll(HeaderId.Allow));
        Assert.Equal(["Sat, 13 Nov 2010 23:29:00 GMT"], headers.GetAll("Date"));
        Assert.Equal(["a", "\"b,c\"", "<d,e>"], headers.GetAll("X-List"));
    }

    [Fact]
    public void SetRemoveInsert_EditInWireOrder()
    {
        var headers = new SipHeaders();
        headers.Add("Route", "<sip:a>");
        headers.Add("Via", "SIP/2.0/UDP x");
        headers.Add("Route", "<sip:b>");

        headers.Insert(0, "Max-Forwards", "70");
        headers.Set("Route", "<sip:c>");

        Assert.Equal(["Max-Forwards", "Route", "Via"], headers.Select(h => h.Key));
        Assert.Equal("<sip:c>", headers.Get(HeaderId.Route));
        Assert.Equal(1, headers.Remove("route"));
        Assert.Equal(0, headers.Remove("Route"));
        Assert.Equal(2, headers.Count);
        Assert.True(headers.Contains(HeaderId.MaxForwards));
        Assert.False(headers.Contains(HeaderId.Route));
    }

    [Fact]
    public void ReplaceFirst_CommaListedVia_ReplacesOnlyTopElement()
    {
        var headers = new SipHeaders();
        headers.Add("Via", "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2");

        headers.ReplaceFirst(HeaderId.Via, "SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1");

        Assert.Equal(["SIP/2.0/UDP a;branch=z9hG4bK1;received=192.0.2.1", "SIP/2.0/UDP b;branch=z9hG4bK2"], headers.GetAll(HeaderId.Via));
    }

    [Fact]
    public void ReplaceFirst_MissingHeader_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new SipHeaders().ReplaceFirst(HeaderId.Via, "x"));
    }

    [Fact]
    public void TypedViews_AreInvalidatedWhenHeadersChange()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite());
        var before = request.TopVia!;

        request.Headers.ReplaceFirst(HeaderId.Via, before.WithReceived("198.51.100.1", 5099).ToString());
        request.Headers.Set("To", "<sip:carol@example.com>;tag=t1");

        Assert.Equal("198.51.100.1", request.TopVia!.Received);
        Assert.Equal(5099, request.TopVia.Rport);
        Assert.Equal("carol", request.To!.Uri.User);
        Assert.Equal("t1", request.To.Tag);
    }

    [Fact]
    public void Expires_OutOfRange_ReadsAsNull()
    {
        var request = TestMessages.ParseRequest(TestMessages.Invite("Expires: 99999999999"));

        Assert.Null(request.Expires);
        request.Headers.Set("Expires", "3600");
        Assert.Equal(3600, request.Expires);
    }
}
