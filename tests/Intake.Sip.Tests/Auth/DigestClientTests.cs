using Intake.Sip.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Auth;

public sealed class DigestClientTests
{
    [Fact]
    public void TryCreateCredentials_Rfc7616Sha256Challenge_MatchesPublishedHeader()
    {
        const string challengeHeader = "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=SHA-256, "
            + "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        Assert.True(DigestChallenge.TryParse(challengeHeader, out var challenge, out _));

        Assert.True(DigestClient.TryCreateCredentials(challenge!, "GET", "/dir/index.html", "Mufasa", "Circle of Life", 1,
            "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", out var credentials, out _));

        Assert.Equal("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", credentials!.Response);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Equal("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", credentials.Opaque);
        Assert.Equal("SHA-256", credentials.AlgorithmName);
    }

    [Fact]
    public void TryCreateCredentials_Rfc2069ChallengeWithoutQop_LegacyResponse()
    {
        Assert.True(DigestChallenge.TryParse(
            "Digest realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"",
            out var challenge, out _));

        Assert.True(DigestClient.TryCreateCredentials(challenge!, "GET", "/dir/index.html", "Mufasa", "CircleOfLife", 1, null, out var c, out _));

        Assert.Equal("1949323746fe6a43ef61f9606e7febea", c!.Response);
        Assert.Null(c.Qop);
        Assert.Null(c.NonceCount);
    }

    [Fact]
    public void TryCreateCredentials_OnlyAuthInt_Fails()
    {
        var challenge = new DigestChallenge { Realm = "r", Nonce = "n", QopOptions = ["auth-int"] };

        Assert.False(DigestClient.TryCreateCredentials(challenge, "INVITE", "sip:x", "u", "p", 1, null, out _, out var error));
        Assert.Contains("qop", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryRespond_ServerChallenges_PicksSha256AndServerAccepts()
    {
        var time = new FakeTimeProvider();
        var server = new DigestAuthenticator(new DigestAuthenticatorOptions { Realm = "trunk" }, time);
        var store = new InMemoryOperatorCredentialStore();
        store.Set("intake", OperatorCredential.FromPassword("s3cret"));
        var client = new DigestClient("intake", "s3cret");

        var ok = client.TryRespond(
            server.CreateChallenges().Select(c => c.ToHeaderValue()).Reverse(), "INVITE", "sip:112@trunk", out var header, out var error);

        Assert.True(ok, error);
        Assert.Contains("algorithm=SHA-256", header, StringComparison.Ordinal);
        var verdict = await server.VerifyAsync(header!, "INVITE", "sip:112@trunk", store, CancellationToken.None);
        Assert.Equal(DigestOutcome.Authenticated, verdict.Outcome);
    }

    [Fact]
    public async Task TryAuthorize_AfterChallenge_IncrementsNonceCountAndServerAccepts()
    {
        var time = new FakeTimeProvider();
        var server = new DigestAuthenticator(new DigestAuthenticatorOptions { Realm = "trunk" }, time);
        var store = new InMemoryOperatorCredentialStore();
        store.Set("intake", OperatorCredential.FromPassword("s3cret"));
        var client = new DigestClient("intake", "s3cret");
        client.TryRespond(server.CreateChallenges().Select(c => c.ToHeaderValue()), "INVITE", "sip:112@trunk", out var first, out _);
        await server.VerifyAsync(first!, "INVITE", "sip:112@trunk", store, CancellationToken.None);

        Assert.True(client.TryAuthorize("INVITE", "sip:113@trunk", out var second, out _));

        Assert.Contains("nc=00000002", second, StringComparison.Ordinal);
        var verdict = await server.VerifyAsync(second!, "INVITE", "sip:113@trunk", store, CancellationToken.None);
        Assert.Equal(DigestOutcome.Authenticated, verdict.Outcome);
    }

    [Fact]
    public void TryRespond_SameNonceChallengedAgain_FailsInsteadOfLooping()
    {
        var client = new DigestClient("u", "p");
        string[] challenge = ["Digest realm=\"r\", nonce=\"n1\", qop=\"auth\""];
        Assert.True(client.TryRespond(challenge, "REGISTER", "sip:r", out _, out _));

        Assert.False(client.TryRespond(challenge, "REGISTER", "sip:r", out _, out var error));
        Assert.Contains("rejected", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRespond_StaleChallengeSameNonce_Responds()
    {
        var client = new DigestClient("u", "p");
        client.TryRespond(["Digest realm=\"r\", nonce=\"n1\", qop=\"auth\""], "REGISTER", "sip:r", out _, out _);

        Assert.True(client.TryRespond(["Digest realm=\"r\", nonce=\"n1\", qop=\"auth\", stale=TRUE"], "REGISTER", "sip:r", out _, out _));
    }

    [Fact]
    public void TryRespond_OnlyUnsupportedChallenges_Fails()
    {
        var client = new DigestClient("u", "p");

        Assert.False(client.TryRespond(
            ["Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", "Basic realm=\"r\""], "REGISTER", "sip:r", out _, out _));
    }

    [Fact]
    public void TryAuthorize_BeforeAnyChallenge_Fails()
    {
        Assert.False(new DigestClient("u", "p").TryAuthorize("INVITE", "sip:x", out _, out _));
    }
}
