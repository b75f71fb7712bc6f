using System.Net;
using Intake.Sip.Auth;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Registrar;

/// <summary>A registrar on a fake clock with one operator (1001 / "pw1001") and a phone that answers challenges.</summary>
internal sealed class RegistrarFixture : IDisposable
{
    public const string Realm = "intake.test";
    public static readonly IPEndPoint PhoneEndPoint = new(IPAddress.Loopback, 5070);

    private readonly Dictionary<string, DigestClient> _clients = new(StringComparer.Ordinal);

    public RegistrarFixture(IRegistrationStore? store = null, RegistrarOptions? options = null)
    {
        Credentials.Set("1001", OperatorCredential.FromPassword("pw1001"));
        Credentials.Set("1002", OperatorCredential.FromPassword("pw1002"));
        var digest = new DigestAuthenticator(new DigestAuthenticatorOptions { Realm = Realm }, Time);
        Failures = new AuthFailureTracker(new AuthFailureTrackerOptions(), Time, NullLogger<AuthFailureTracker>.Instance);
        Locations = new LocationService(Time);
        Store = store ?? new MemoryRegistrationStore();
        Registrar = new Intake.Sip.Registrar.Registrar(
            options ?? new RegistrarOptions { Domains = [Realm] }, new RequestAuthenticator(digest, Failures, Credentials),
            Locations, Store, Time, NullLogger<Intake.Sip.Registrar.Registrar>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    public InMemoryOperatorCredentialStore Credentials { get; } = new();

    public AuthFailureTracker Failures { get; }

    public LocationService Locations { get; }

    public IRegistrationStore Store { get; }

    public Intake.Sip.Registrar.Registrar Registrar { get; }

    public RegistrationSource Source { get; set; } = new(PhoneEndPoint, SipTransportProtocol.Udp);

    public ValueTask<RegistrarResult> SendAsync(SipRequest request) =>
        Registrar.ProcessAsync(request, Source, CancellationToken.None);

    /// <summary>Sends an authenticated REGISTER; the first one for a user fetches a challenge first.</summary>
    public async Task<RegistrarResult> RegisterAsync(
        uint cseq, IReadOnlyList<string> contacts, int? expires = null, string callId = "call-1@127.0.0.1",
        string user = "1001", string? password = null)
    {
        if (!_clients.TryGetValue(user, out var client))
        {
            client = new DigestClient(user, password ?? "pw" + user);
            var challenge = await SendAsync(RegisterRequestBuilder.Build(user, cseq, contacts, expires, callId));
            Assert.Equal(401, challenge.Response.StatusCode);
            Assert.True(client.TryRespond(
                challenge.Response.Headers.GetAll(HeaderId.WwwAuthenticate), SipMethods.Register, "sip:" + Realm, out _, out var error), error);
            _clients[user] = client;
        }

        Assert.True(client.TryAuthorize(SipMethods.Register, "sip:" + Realm, out var authorization, out _));
        return await SendAsync(RegisterRequestBuilder.Build(user, cseq, contacts, expires, callId, authorization));
    }

    public void Dispose() => Registrar.Dispose();
}
