using Intake.Sip.Auth;

namespace Intake.Sip.Tests.Auth;

public sealed class DigestCredentialsTests
{
    [Fact]
    public void TryParse_Rfc2617Header_ReadsEveryParameter()
    {
        const string header = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
            + "uri=\"/dir/index.html\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", "
            + "response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

        Assert.True(DigestCredentials.TryParse(header, out var c, out _));

        Assert.Equal("Mufasa", c!.Username);
        Assert.Equal("testrealm@host.com", c.Realm);
        Assert.Equal("dcd98b7102dd2f0e8b11d0f600bfb0c093", c.Nonce);
        Assert.Equal("/dir/index.html", c.Uri);
        Assert.Equal("auth", c.Qop);
        Assert.Equal("00000001", c.NonceCount);
        Assert.Equal("0a4f113b", c.Cnonce);
        Assert.Equal("6629fae49393a05397450978507c4ef1", c.Response);
        Assert.Equal("5ccc069c403ebaf9f0171e9517f40e41", c.Opaque);
        Assert.Null(c.AlgorithmName);
    }

    [Fact]
    public void TryParse_AnyOrderAndCaseAndWhitespace_Accepted()
    {
        const string header = "digest  RESPONSE=\"abc\" ,NC=00000002,\tUri=\"sip:x.org\" , Nonce=\"n\",  realm = \"r\" ,username=\"u\",";

        Assert.True(DigestCredentials.TryParse(header, out var c, out _));

        Assert.Equal("u", c!.Username);
        Assert.Equal("r", c.Realm);
        Assert.Equal("sip:x.org", c.Uri);
        Assert.Equal("00000002", c.NonceCount);
    }

    [Fact]
    public void TryParse_EscapedQuotesInUsername_Unescaped()
    {
        const string header = "Digest username=\"a\\\"b\\\\c\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"";

        Assert.True(DigestCredentials.TryParse(header, out var c, out _));

        Assert.Equal("a\"b\\c", c!.Username);
    }

    [Fact]
    public void ToHeaderValue_RoundTrip_PreservesValues()
    {
        var original = new DigestCredentials
        {
            Username = "we\"ird\\user", Realm = "intake", Nonce = "abc+/=", Uri = "sip:intake.local", Response = "00ff",
            AlgorithmName = "SHA-256", Cnonce = "c", Opaque = "o", Qop = "auth", NonceCount = "0000000a",
        };

        Assert.True(DigestCredentials.TryParse(original.ToHeaderValue(), out var parsed, out _));

        Assert.Equal(original, parsed);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Digest", "scheme")]
    [InlineData("Basic dXNlcjpwYXNz", "scheme")]
    [InlineData("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"abc", "unterminated")]
    [InlineData("Digest username=\"u\", username=\"v\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"", "duplicate")]
    [InlineData("Digest username=\"u\", USERNAME=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"", "duplicate")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"", "username")]
    [InlineData("Digest username=\"u\" realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"", "comma")]
    [InlineData("Digest username=, realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"", "empty value")]
    [InlineData("Digest username, realm=\"r\"", "no value")]
    [InlineData("Digest =\"u\"", "unexpected")]
    [InlineData("Digest username=\"u\r\n\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"0\"", "control")]
    [InlineData("Digest username=\"u\\", "unterminated")]
    public void TryParse_Malformed_ReturnsFalseWithReason(string header, string reasonFragment)
    {
        var ok = DigestCredentials.TryParse(header, out var credentials, out var error);

        Assert.False(ok);
        Assert.Null(credentials);
        Assert.Contains(reasonFragment, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TryParse_HugeValue_RejectedWithoutException()
    {
        var header = "Digest username=\"" + new string('a', 10_000) + "\", realm=\"r\"";

        Assert.False(DigestCredentials.TryParse(header, out _, out var error));
        Assert.Contains("too long", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooManyParameters_Rejected()
    {
        var header = "Digest " + string.Join(", ", Enumerable.Range(0, 40).Select(i => $"p{i}=x"));

        Assert.False(DigestCredentials.TryParse(header, out _, out var error));
        Assert.Contains("too many", error, StringComparison.Ordinal);
    }
}
