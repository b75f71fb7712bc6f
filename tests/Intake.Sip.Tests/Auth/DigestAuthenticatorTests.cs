using Intake.Sip.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Auth;

public sealed class DigestAuthenticatorTests
{
    private const string Realm = "intake.test";
    private const string RequestUri = "sip:intake.test";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryOperatorCredentialStore _store = new();
    private readonly DigestAuthenticator _authenticator;

    public DigestAuthenticatorTests()
    {
        _store.Set("1001", OperatorCredential.FromPassword("correct horse"));
        _authenticator = new DigestAuthenticator(
            new DigestAuthenticatorOptions { Realm = Realm, NonceSecret = new byte[32] }, _time);
    }

    [Fact]
    public void CreateChallenges_Default_OffersSha256ThenMd5WithQopAuth()
    {
        var challenges = _authenticator.CreateChallenges();

        Assert.Equal([DigestAlgorithm.Sha256, DigestAlgorithm.Md5], challenges.Select(c => c.Algorithm));
        Assert.All(challenges, c => Assert.Equal(["auth"], c.QopOptions));
        Assert.All(challenges, c => Assert.Equal(Realm, c.Realm));
        Assert.All(challenges, c => Assert.False(c.Stale));
        Assert.Single(challenges.Select(c => c.Nonce).Distinct());
        Assert.StartsWith("Digest realm=\"intake.test\", nonce=\"", challenges[0].ToHeaderValue(), StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256, qop=\"auth\"", challenges[0].ToHeaderValue(), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateChallenges_TwoCalls_DifferentNonces()
    {
        Assert.NotEqual(_authenticator.CreateChallenges()[0].Nonce, _authenticator.CreateChallenges()[0].Nonce);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task VerifyAsync_CorrectPassword_Authenticated(int challengeIndex)
    {
        var header = Answer(_authenticator.CreateChallenges()[challengeIndex], "1001", "correct horse", 1);

        var result = await VerifyAsync(header);

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
        Assert.Equal("1001", result.Username);
    }

    [Fact]
    public async Task VerifyAsync_Ha1OnlyStore_Authenticated()
    {
        _store.Set("1002", OperatorCredential.FromHa1(
            DigestHash.ComputeHa1(DigestAlgorithm.Md5, "1002", Realm, "pw").ToUpperInvariant(),
            DigestHash.ComputeHa1(DigestAlgorithm.Sha256, "1002", Realm, "pw")));

        var challenges = _authenticator.CreateChallenges();

        var sha256 = await VerifyAsync(Answer(challenges[0], "1002", "pw", 1));
        var md5 = await VerifyAsync(Answer(challenges[1], "1002", "pw", 2));

        Assert.Equal(DigestOutcome.Authenticated, sha256.Outcome);
        Assert.Equal(DigestOutcome.Authenticated, md5.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_WrongPassword_Forbidden()
    {
        var result = await VerifyAsync(Answer(_authenticator.CreateChallenges()[0], "1001", "wrong", 1));

        Assert.Equal(DigestOutcome.Forbidden, result.Outcome);
        Assert.True(result.IsFailure);
    }

    [Fact]
    public async Task VerifyAsync_UnknownUser_SameOutcomeAsWrongPassword()
    {
        var challenge = _authenticator.CreateChallenges()[0];

        var unknown = await VerifyAsync(Answer(challenge, "9999", "whatever", 1));
        var wrong = await VerifyAsync(Answer(challenge, "1001", "whatever", 2));

        Assert.Equal(DigestOutcome.Forbidden, unknown.Outcome);
        Assert.Equal(wrong.Outcome, unknown.Outcome);
        Assert.Equal(wrong.IsFailure, unknown.IsFailure);
    }

    [Fact]
    public async Task VerifyAsync_TamperedResponse_Forbidden()
    {
        var credentials = Credentials(_authenticator.CreateChallenges()[0], "1001", "correct horse", 1);
        var flipped = (credentials.Response[0] == '0' ? '1' : '0') + credentials.Response[1..];

        var result = await VerifyAsync((credentials with { Response = flipped }).ToHeaderValue());

        Assert.Equal(DigestOutcome.Forbidden, result.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_TamperedCnonceKeepingResponse_Forbidden()
    {
        var credentials = Credentials(_authenticator.CreateChallenges()[0], "1001", "correct horse", 1);

        var result = await VerifyAsync((credentials with { Cnonce = "other" }).ToHeaderValue());

        Assert.Equal(DigestOutcome.Forbidden, result.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_UppercaseHexResponse_Authenticated()
    {
        var credentials = Credentials(_authenticator.CreateChallenges()[1], "1001", "correct horse", 1);

        var result = await VerifyAsync((credentials with { Response = credentials.Response.ToUpperInvariant() }).ToHeaderValue());

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_ExpiredNonceCorrectResponse_Stale()
    {
        var challenge = _authenticator.CreateChallenges()[0];
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var result = await VerifyAsync(Answer(challenge, "1001", "correct horse", 1));

        Assert.Equal(DigestOutcome.Stale, result.Outcome);
        Assert.False(result.IsFailure);
    }

    [Fact]
    public async Task VerifyAsync_ExpiredNonceWrongResponse_Forbidden()
    {
        var challenge = _authenticator.CreateChallenges()[0];
        _time.Advance(TimeSpan.FromMinutes(6));

        var result = await VerifyAsync(Answer(challenge, "1001", "wrong", 1));

        Assert.Equal(DigestOutcome.Forbidden, result.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_NonceJustWithinLifetime_Authenticated()
    {
        var challenge = _authenticator.CreateChallenges()[0];
        _time.Advance(TimeSpan.FromMinutes(5));

        var result = await VerifyAsync(Answer(challenge, "1001", "correct horse", 1));

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_ReplayedHeader_Replayed()
    {
        var header = Answer(_authenticator.CreateChallenges()[0], "1001", "correct horse", 1);
        Assert.Equal(DigestOutcome.Authenticated, (await VerifyAsync(header)).Outcome);

        var replay = await VerifyAsync(header);

        Assert.Equal(DigestOutcome.Replayed, replay.Outcome);
        Assert.False(replay.IsAuthenticated);
    }

    [Fact]
    public async Task VerifyAsync_LowerNonceCountAfterHigher_Replayed()
    {
        var challenge = _authenticator.CreateChallenges()[0];
        Assert.Equal(DigestOutcome.Authenticated, (await VerifyAsync(Answer(challenge, "1001", "correct horse", 5))).Outcome);

        var lower = await VerifyAsync(Answer(challenge, "1001", "correct horse", 3));
        var higher = await VerifyAsync(Answer(challenge, "1001", "correct horse", 6));

        Assert.Equal(DigestOutcome.Replayed, lower.Outcome);
        Assert.Equal(DigestOutcome.Authenticated, higher.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_WrongPasswordWithHighCount_DoesNotBurnLegitimateCount()
    {
        var challenge = _authenticator.CreateChallenges()[0];
        Assert.Equal(DigestOutcome.Forbidden, (await VerifyAsync(Answer(challenge, "1001", "guess", 0xffffff))).Outcome);

        var legitimate = await VerifyAsync(Answer(challenge, "1001", "correct horse", 1));

        Assert.Equal(DigestOutcome.Authenticated, legitimate.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_NonceFromOtherSecret_Challenge()
    {
        var other = new DigestAuthenticator(new DigestAuthenticatorOptions { Realm = Realm }, _time);

        var result = await VerifyAsync(Answer(other.CreateChallenges()[0] with { Opaque = null }, "1001", "correct horse", 1));

        Assert.Equal(DigestOutcome.Challenge, result.Outcome);
        Assert.False(result.IsFailure);
    }

    [Fact]
    public async Task VerifyAsync_ForeignRealm_Challenge()
    {
        var challenge = _authenticator.CreateChallenges()[0] with { Realm = "elsewhere" };

        var result = await VerifyAsync(Answer(challenge, "1001", "correct horse", 1));

        Assert.Equal(DigestOutcome.Challenge, result.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_OpaqueMismatch_Challenge()
    {
        var challenge = _authenticator.CreateChallenges()[0] with { Opaque = "forged" };

        var result = await VerifyAsync(Answer(challenge, "1001", "correct horse", 1));

        Assert.Equal(DigestOutcome.Challenge, result.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_OpaqueOmitted_Authenticated()
    {
        var challenge = _authenticator.CreateChallenges()[0] with { Opaque = null };

        var result = await VerifyAsync(Answer(challenge, "1001", "correct horse", 1));

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
    }

    [Theory]
    [InlineData("sip:intake.test:5060")]
    [InlineData("sip:INTAKE.test;transport=udp")]
    public async Task VerifyAsync_EquivalentUri_Authenticated(string digestUri)
    {
        var header = Answer(_authenticator.CreateChallenges()[0], "1001", "correct horse", 1, digestUri);

        var result = await VerifyAsync(header);

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
    }

    [Theory]
    [InlineData("sip:other.test")]
    [InlineData("sip:intake.test:5070")]
    [InlineData("sip:1001@intake.test")]
    [InlineData("/dir/index.html")]
    public async Task VerifyAsync_UriOfAnotherTarget_Malformed(string digestUri)
    {
        var header = Answer(_authenticator.CreateChallenges()[0], "1001", "correct horse", 1, digestUri);

        var result = await VerifyAsync(header);

        Assert.Equal(DigestOutcome.Malformed, result.Outcome);
        Assert.Contains("uri", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_SvcrackStyleQopWithoutCnonceAndNc_MalformedNoException()
    {
        var nonce = _authenticator.CreateChallenges()[0].Nonce;
        var header = $"Digest username=\"100\",realm=\"{Realm}\",nonce=\"{nonce}\",uri=\"{RequestUri}\","
            + "response=\"b5c6a5b9e1c3d1f0e2a4c6b8d0f2e4a6\",algorithm=MD5,qop=auth";

        var result = await VerifyAsync(header);

        Assert.Equal(DigestOutcome.Malformed, result.Outcome);
        Assert.Equal("100", result.Username);
    }

    public static TheoryData<string, string> MalformedVariants => new()
    {
        { "no qop", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\"" },
        { "auth-int", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\", qop=auth-int, nc=00000001, cnonce=\"x\"" },
        { "bad nc", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\", qop=auth, nc=1, cnonce=\"x\"" },
        { "non-hex nc", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\", qop=auth, nc=0000000g, cnonce=\"x\"" },
        { "empty cnonce", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\", qop=auth, nc=00000001, cnonce=\"\"" },
        { "short response", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"abcd\", qop=auth, nc=00000001, cnonce=\"x\"" },
        { "sha length for md5", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"0000000000000000000000000000000000000000000000000000000000000000\", qop=auth, nc=00000001, cnonce=\"x\"" },
        { "unknown algorithm", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\", algorithm=MD5-sess, qop=auth, nc=00000001, cnonce=\"x\"" },
        { "userhash", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\", qop=auth, nc=00000001, cnonce=\"x\", userhash=true" },
        { "empty username", "Digest username=\"\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"00000000000000000000000000000000\", qop=auth, nc=00000001, cnonce=\"x\"" },
        { "unterminated", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}" },
        { "duplicate", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", nonce=\"{nonce}\", uri=\"sip:intake.test\", response=\"0\"" },
        { "missing response", "Digest username=\"1001\", realm=\"intake.test\", nonce=\"{nonce}\", uri=\"sip:intake.test\"" },
        { "garbage", "\u0000\u0001Digest \"\"\"" },
    };

    [Theory]
    [MemberData(nameof(MalformedVariants))]
    public async Task VerifyAsync_MalformedVariant_MalformedWithReason(string name, string template)
    {
        var header = template.Replace("{nonce}", _authenticator.CreateChallenges()[0].Nonce, StringComparison.Ordinal);

        var result = await VerifyAsync(header);

        Assert.True(result.Outcome == DigestOutcome.Malformed, $"{name}: {result.Outcome}");
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public async Task VerifyAsync_EveryPrefixAndSeededMutations_NeverThrowsNeverAuthenticates()
    {
        var valid = Answer(_authenticator.CreateChallenges()[0], "1001", "correct horse", 1);
        var random = new Random(7616);
        var candidates = Enumerable.Range(0, valid.Length).Select(i => valid[..i]).ToList();
        for (var i = 0; i < 2000; i++)
        {
            var chars = valid.ToCharArray();
            chars[random.Next(chars.Length)] = (char)random.Next(0, 128);
            candidates.Add(new string(chars));
        }

        foreach (var candidate in candidates)
        {
            var result = await VerifyAsync(candidate);
            Assert.True(result.Outcome != DigestOutcome.Authenticated || candidate == valid || IsEquivalentMutation(candidate, valid), candidate);
        }
    }

    // A mutation can leave the header equivalent (e.g. case of a parameter name, whitespace after a comma).
    private static bool IsEquivalentMutation(string candidate, string valid) =>
        DigestCredentials.TryParse(candidate, out var a, out _) && DigestCredentials.TryParse(valid, out var b, out _)
            && a!.Response.Equals(b!.Response, StringComparison.OrdinalIgnoreCase) && a.Username == b.Username && a.Cnonce == b.Cnonce;

    [Fact]
    public void Verify_SynchronousWithKnownCredential_Authenticated()
    {
        var credentials = Credentials(_authenticator.CreateChallenges()[0], "1001", "correct horse", 1);

        var result = _authenticator.Verify(credentials, "REGISTER", RequestUri, OperatorCredential.FromPassword("correct horse"));

        Assert.Equal(DigestOutcome.Authenticated, result.Outcome);
    }

    private ValueTask<DigestVerificationResult> VerifyAsync(string header) =>
        _authenticator.VerifyAsync(header, "REGISTER", RequestUri, _store, CancellationToken.None);

    private static string Answer(DigestChallenge challenge, string user, string password, uint nc, string uri = RequestUri) =>
        Credentials(challenge, user, password, nc, uri).ToHeaderValue();

    private static DigestCredentials Credentials(DigestChallenge challenge, string user, string password, uint nc, string uri = RequestUri)
    {
        Assert.True(DigestClient.TryCreateCredentials(challenge, "REGISTER", uri, user, password, nc, "0a4f113b", out var c, out var error), error);
        return c!;
    }
}
