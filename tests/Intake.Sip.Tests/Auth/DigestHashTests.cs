using Intake.Sip.Auth;

namespace Intake.Sip.Tests.Auth;

public sealed class DigestHashTests
{
    // RFC 7616 §3.9.1 (password "Circle of Life", lower-case "of", see erratum 4495).
    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    public static TheoryData<DigestAlgorithm, string> Rfc7616Vectors => new()
    {
        { DigestAlgorithm.Md5, "8ca523f5e9506fed4657c9700eebdbec" },
        { DigestAlgorithm.Sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1" },
    };

    [Theory]
    [MemberData(nameof(Rfc7616Vectors))]
    public void ComputeResponse_Rfc7616Example_MatchesPublishedResponse(DigestAlgorithm algorithm, string expected)
    {
        var ha1 = DigestHash.ComputeHa1(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life");

        var response = DigestHash.ComputeResponse(
            algorithm, ha1, Rfc7616Nonce, "00000001", Rfc7616Cnonce, "auth", "GET", "/dir/index.html");

        Assert.Equal(expected, response);
    }

    [Fact]
    public void ComputeResponse_Rfc2617Example_MatchesPublishedResponse()
    {
        var ha1 = DigestHash.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");

        var response = DigestHash.ComputeResponse(
            DigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", "GET", "/dir/index.html");

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Fact]
    public void ComputeLegacyResponse_Rfc2069Example_MatchesPublishedResponse()
    {
        var ha1 = DigestHash.ComputeHa1(DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "CircleOfLife");

        var response = DigestHash.ComputeLegacyResponse(
            DigestAlgorithm.Md5, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html");

        Assert.Equal("1949323746fe6a43ef61f9606e7febea", response);
    }

    [Theory]
    [InlineData(null, DigestAlgorithm.Md5)]
    [InlineData("md5", DigestAlgorithm.Md5)]
    [InlineData("SHA-256", DigestAlgorithm.Sha256)]
    [InlineData("sha-256-SESS", DigestAlgorithm.Sha256Sess)]
    [InlineData("MD5-sess", DigestAlgorithm.Md5Sess)]
    public void TryParseName_KnownNames_CaseInsensitive(string? name, DigestAlgorithm expected)
    {
        Assert.True(DigestHash.TryParseName(name, out var algorithm));
        Assert.Equal(expected, algorithm);
    }

    [Theory]
    [InlineData("SHA-512-256")]
    [InlineData("")]
    [InlineData("AKAv1-MD5")]
    public void TryParseName_UnknownName_ReturnsFalse(string name)
    {
        Assert.False(DigestHash.TryParseName(name, out _));
    }
}
