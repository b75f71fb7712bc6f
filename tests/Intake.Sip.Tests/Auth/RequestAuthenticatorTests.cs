using System.Net;
using System.Text;
using Intake.Sip.Auth;
using Intake.Sip.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Auth;

public sealed class RequestAuthenticatorTests
{
    private const string Realm = "intake.test";
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.66");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly RequestAuthenticator _authenticator;

    public RequestAuthenticatorTests()
    {
        var store = new InMemoryOperatorCredentialStore();
        store.Set("1001", OperatorCredential.FromPassword("pw1001"));
        var digest = new DigestAuthenticator(new DigestAuthenticatorOptions { Realm = Realm }, _time);
        var failures = new AuthFailureTracker(new AuthFailureTrackerOptions(), _time, NullLogger<AuthFailureTracker>.Instance);
        _authenticator = new RequestAuthenticator(digest, failures, store);
    }

    [Fact]
    public async Task AuthenticateAsync_KnownAndUnknownUserWithoutCredentials_IdenticalChallengeShape()
    {
        var known = await AuthenticateAsync(Request("1001", null), IPAddress.Loopback);
        var unknown = await AuthenticateAsync(Request("4711", null), IPAddress.Loopback);

        Assert.Equal(Shape(known.Rejection!), Shape(unknown.Rejection!));
        Assert.Equal(401, known.Rejection!.StatusCode);
    }

    [Fact]
    public async Task AuthenticateAsync_WrongPasswordKnownVsUnknownUser_Identical403()
    {
        var known = await AnswerAsync("1001", "wrong", IPAddress.Loopback);
        var unknown = await AnswerAsync("4711", "wrong", IPAddress.Loopback);

        Assert.Equal(403, known.Rejection!.StatusCode);
        Assert.Equal(Shape(known.Rejection), Shape(unknown.Rejection!));
        Assert.Equal(known.Rejection.ReasonPhrase, unknown.Rejection!.ReasonPhrase);
        Assert.Equal(known.Delay, unknown.Delay);
    }

    [Fact]
    public async Task AuthenticateAsync_CorrectPassword_Authenticated()
    {
        var result = await AnswerAsync("1001", "pw1001", IPAddress.Loopback);

        Assert.True(result.IsAuthenticated);
        Assert.Equal("1001", result.Username);
    }

    [Fact]
    public async Task AuthenticateAsync_LockedOutEvenWithCorrectPassword_Same403AsWrongPassword()
    {
        var normal403 = await AnswerAsync("1001", "wrong", IPAddress.Loopback);
        for (var i = 0; i < 10; i++)
        {
            await AnswerAsync("1001", "guess" + i, Attacker);
        }

        var locked = await AnswerAsync("1001", "pw1001", Attacker);

        Assert.False(locked.IsAuthenticated);
        Assert.Equal(Shape(normal403.Rejection!), Shape(locked.Rejection!));
        Assert.True(locked.Delay > TimeSpan.Zero);
    }

    [Fact]
    public async Task AuthenticateAsync_LockoutExpires_CorrectPasswordAcceptedAgain()
    {
        for (var i = 0; i < 10; i++)
        {
            await AnswerAsync("1001", "guess" + i, Attacker);
        }

        _time.Advance(TimeSpan.FromMinutes(16));
        var result = await AnswerAsync("1001", "pw1001", Attacker);

        Assert.True(result.IsAuthenticated);
    }

    [Fact]
    public async Task AuthenticateAsync_SvcrackStyleCredentials_400WithReason()
    {
        var challenge = await AuthenticateAsync(Request("100", null), Attacker);
        var nonce = ChallengeNonce(challenge.Rejection!);
        var header = $"Digest username=\"100\",realm=\"{Realm}\",nonce=\"{nonce}\",uri=\"sip:{Realm}\","
            + "response=\"0123456789abcdef0123456789abcdef\",algorithm=MD5,qop=auth";

        var result = await AuthenticateAsync(Request("100", header), Attacker);

        Assert.Equal(400, result.Rejection!.StatusCode);
        Assert.Contains("cnonce", result.Rejection.ReasonPhrase, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticateAsync_OnlyForeignRealmCredentials_Challenged()
    {
        var header = "Digest username=\"1001\", realm=\"other\", nonce=\"n\", uri=\"sip:intake.test\", response=\"00\"";

        var result = await AuthenticateAsync(Request("1001", header), IPAddress.Loopback);

        Assert.Equal(401, result.Rejection!.StatusCode);
    }

    [Fact]
    public async Task AuthenticateAsync_StaleNonce_401WithStaleTrue()
    {
        var challenge = await AuthenticateAsync(Request("1001", null), IPAddress.Loopback);
        var client = new DigestClient("1001", "pw1001");
        client.TryRespond(challenge.Rejection!.Headers.GetAll(HeaderId.WwwAuthenticate), "REGISTER", "sip:" + Realm, out var header, out _);
        _time.Advance(TimeSpan.FromMinutes(10));

        var result = await AuthenticateAsync(Request("1001", header), IPAddress.Loopback);

        Assert.Equal(401, result.Rejection!.StatusCode);
        Assert.All(result.Rejection.Headers.GetAll(HeaderId.WwwAuthenticate), h => Assert.Contains("stale=true", h, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuthenticateAsync_ProxyMode_407WithProxyAuthenticate()
    {
        var result = await _authenticator.AuthenticateAsync(Request("1001", null), IPAddress.Loopback, asProxy: true, CancellationToken.None);

        Assert.Equal(407, result.Rejection!.StatusCode);
        Assert.Equal(2, result.Rejection.Headers.GetAll(HeaderId.ProxyAuthenticate).Count);
    }

    private ValueTask<RequestAuthResult> AuthenticateAsync(SipRequest request, IPAddress source) =>
        _authenticator.AuthenticateAsync(request, source, asProxy: false, CancellationToken.None);

    private async Task<RequestAuthResult> AnswerAsync(string user, string password, IPAddress source)
    {
        var challenge = await AuthenticateAsync(Request(user, null), source);
        var client = new DigestClient(user, password);
        Assert.True(client.TryRespond(challenge.Rejection!.Headers.GetAll(HeaderId.WwwAuthenticate), "REGISTER", "sip:" + Realm, out var header, out _));
        return await AuthenticateAsync(Request(user, header), source);
    }

    private static string ChallengeNonce(SipResponse response)
    {
        Assert.True(DigestChallenge.TryParse(response.Headers.Get(HeaderId.WwwAuthenticate), out var challenge, out _));
        return challenge!.Nonce;
    }

    /// <summary>What a scanner can observe, with per-response randomness (tags, nonces) blanked out.</summary>
    private static string Shape(SipResponse response)
    {
        var text = new StringBuilder().Append(response.StatusCode).Append(' ').Append(response.ReasonPhrase).Append('\n');
        foreach (var (name, value) in response.Headers)
        {
            if (name is "From" or "To" or "Call-ID")
            {
                continue;
            }

            var shaped = System.Text.RegularExpressions.Regex.Replace(value, "nonce=\"[^\"]*\"", "nonce=\"*\"");
            text.Append(name).Append(": ").Append(shaped).Append('\n');
        }

        return text.ToString();
    }

    private static SipRequest Request(string user, string? authorization)
    {
        var text = $"REGISTER sip:{Realm} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx\r\nMax-Forwards: 70\r\n"
            + $"From: <sip:{user}@{Realm}>;tag=1\r\nTo: <sip:{user}@{Realm}>\r\nCall-ID: c@127.0.0.1\r\nCSeq: 1 REGISTER\r\n"
            + (authorization is null ? string.Empty : $"Authorization: {authorization}\r\n")
            + "Content-Length: 0\r\n\r\n";
        var result = SipParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(result.Success, result.Error);
        return (SipRequest)result.Message!;
    }
}
