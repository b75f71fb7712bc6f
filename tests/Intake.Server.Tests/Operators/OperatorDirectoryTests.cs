using System.Net;
using Intake.Server.Operators;
using Intake.Sip;
using Intake.Sip.Auth;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Server.Tests.Operators;

public sealed class OperatorDirectoryTests
{
    private const string ContactA = "<sip:op1001@127.0.0.1:5070>";
    private const string ContactB = "<sip:op1001@127.0.0.1:5072;transport=tcp>";

    [Fact]
    public async Task ProcessRegisterAsync_NoCredentials_401WithSha256ThenMd5AndNoBinding()
    {
        using var h = new OperatorDirectoryHarness();

        var result = await h.Directory.ProcessRegisterAsync(
            OperatorDirectoryHarness.Register("op1001", "c1", 1, ContactA, 3600), OperatorDirectoryHarness.Udp(), CancellationToken.None);

        Assert.Equal(401, result.Response.StatusCode);
        var challenges = result.Response.Headers.GetAll(HeaderId.WwwAuthenticate);
        Assert.Equal(2, challenges.Count);
        Assert.Contains("algorithm=SHA-256", challenges[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", challenges[1], StringComparison.Ordinal);
        Assert.Empty(h.Directory.RegisteredUsernames);
        Assert.Empty(h.Events);
    }

    [Fact]
    public async Task ProcessRegisterAsync_RightPassword_200ListsContactAndRaisesRegisteredOnce()
    {
        using var h = new OperatorDirectoryHarness();

        var first = await h.RegisterAsync("op1001", "secret-1001", ContactA, 1800);
        var refresh = await h.RegisterAsync("op1001", "secret-1001", ContactA, 3600);

        Assert.Equal(200, first.Response.StatusCode);
        Assert.Equal(200, refresh.Response.StatusCode);
        var contact = Assert.Single(refresh.Response.Contacts);
        Assert.Equal("3600", contact.GetParameter("expires"));
        Assert.Equal(["registered:op1001"], h.Events);
        Assert.Equal(["op1001"], h.Directory.RegisteredUsernames);
        Assert.Equal(OperatorAvailability.Reachable, h.Directory.GetAvailability("op1001"));
    }

    [Fact]
    public async Task Sources_RegisterMoveAndUnregister_TrackTheAddressesPhonesRegisteredFrom()
    {
        using var h = new OperatorDirectoryHarness();
        var first = IPAddress.Parse("127.0.0.21");
        var second = IPAddress.Parse("127.0.0.22");

        await h.RegisterAsync("op1001", "secret-1001", "<sip:op1001@127.0.0.21:5070>", 3600, OperatorDirectoryHarness.Udp("127.0.0.21"), callId: "a");
        await h.RegisterAsync("op1002", "secret-1002", "<sip:op1002@127.0.0.21:5072>", 3600, OperatorDirectoryHarness.Udp("127.0.0.21", 5072), callId: "b");
        var bothOnFirst = (h.Directory.Sources.Contains(first), h.Directory.Sources.Count);
        await h.RegisterAsync("op1001", "secret-1001", "<sip:op1001@127.0.0.21:5070>", 0, OperatorDirectoryHarness.Udp("127.0.0.21"), callId: "a");
        var oneLeftOnFirst = h.Directory.Sources.Contains(first);
        await h.RegisterAsync("op1002", "secret-1002", "<sip:op1002@127.0.0.22:5072>", 3600, OperatorDirectoryHarness.Udp("127.0.0.22", 5072), callId: "c");
        await h.RegisterAsync("op1002", "secret-1002", "<sip:op1002@127.0.0.21:5072>", 0, OperatorDirectoryHarness.Udp("127.0.0.22", 5072), callId: "b");

        Assert.Equal((true, 1), bothOnFirst);
        Assert.True(oneLeftOnFirst);
        Assert.False(h.Directory.Sources.Contains(first));
        Assert.True(h.Directory.Sources.Contains(second));
        Assert.True(h.Directory.Sources.Contains(IPAddress.Parse("::ffff:127.0.0.22")));
        Assert.Equal(1, h.Directory.Sources.Count);
    }

    [Fact]
    public async Task Sources_BindingExpires_AddressForgotten()
    {
        using var h = new OperatorDirectoryHarness();
        await h.RegisterAsync("op1001", "secret-1001", ContactA, 60);

        h.Time.Advance(TimeSpan.FromSeconds(61));
        h.Directory.Locations.SweepExpired();

        Assert.False(h.Directory.Sources.Contains(IPAddress.Loopback));
        Assert.Equal(0, h.Directory.Sources.Count);
    }

    [Fact]
    public async Task ProcessRegisterAsync_WrongPasswordOrUnknownUser_403AndNothingBound()
    {
        using var h = new OperatorDirectoryHarness();

        var wrong = await h.RegisterAsync("op1001", "guess", ContactA);
        var unknown = await h.RegisterAsync("intruder", "guess", "<sip:intruder@127.0.0.1:5070>");
        var noPasswordAccount = await h.RegisterAsync("nopass", "", "<sip:nopass@127.0.0.1:5070>");

        Assert.Equal(403, wrong.Response.StatusCode);
        Assert.Equal(403, unknown.Response.StatusCode);
        Assert.Equal(403, noPasswordAccount.Response.StatusCode);
        Assert.Empty(h.Directory.RegisteredUsernames);
        Assert.Empty(h.Events);
    }

    [Fact]
    public async Task ProcessRegisterAsync_OwnCredentialsForAnotherOperatorsAor_403()
    {
        using var h = new OperatorDirectoryHarness();

        var result = await h.RegisterAsync("op1001", "secret-1001", "<sip:op1002@127.0.0.1:5070>", toUser: "op1002");

        Assert.Equal(403, result.Response.StatusCode);
        Assert.Empty(h.Directory.GetBindings("op1002"));
        Assert.Empty(h.Events);
    }

    [Fact]
    public async Task ProcessRegisterAsync_TwoContactsThenRemovedOneByOne_UnregisteredOnlyAfterLast()
    {
        using var h = new OperatorDirectoryHarness();

        await h.RegisterAsync("op1001", "secret-1001", ContactA);
        var both = await h.RegisterAsync("op1001", "secret-1001", ContactB);
        var removeA = await h.RegisterAsync("op1001", "secret-1001", ContactA, 0);
        var eventsAfterFirstRemoval = h.Events.ToList();
        var removeB = await h.RegisterAsync("op1001", "secret-1001", ContactB, 0);

        Assert.Equal(2, both.Response.Contacts.Count);
        Assert.Equal("sip:op1001@127.0.0.1:5072;transport=tcp", Assert.Single(removeA.Response.Contacts).Uri.ToString());
        Assert.Empty(removeB.Response.Contacts);
        Assert.Equal(["registered:op1001"], eventsAfterFirstRemoval);
        Assert.Equal(["registered:op1001", "unregistered:op1001"], h.Events);
        Assert.Equal(OperatorAvailability.Unregistered, h.Directory.GetAvailability("op1001"));
    }

    [Fact]
    public async Task Sweep_BindingLapses_RaisesUnregistered()
    {
        using var h = new OperatorDirectoryHarness();
        await h.RegisterAsync("op1002", "secret-1002", "<sip:op1002@127.0.0.1:5070>", 60);

        h.Time.Advance(TimeSpan.FromSeconds(59));
        var beforeExpiry = h.Events.ToList();
        h.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["registered:op1002"], beforeExpiry);
        Assert.Equal(["registered:op1002", "unregistered:op1002"], h.Events);
        Assert.False(h.Directory.TryGetTarget("op1002", out OperatorTarget? _));
    }

    [Fact]
    public async Task KeepAlive_ThreeMissedProbesThenAnswer_UnreachableThenRegisteredAgain()
    {
        using var h = new OperatorDirectoryHarness();
        await h.RegisterAsync("op1001", "secret-1001", ContactA);
        var sender = new ScriptedSender { Alive = false };
        var keepAlive = new BindingKeepAlive(
            h.Directory.Locations, sender, new BindingKeepAliveOptions { FailureThreshold = 3 }, h.Time, NullLogger<BindingKeepAlive>.Instance);

        await keepAlive.ProbeAllAsync(CancellationToken.None);
        await keepAlive.ProbeAllAsync(CancellationToken.None);
        var afterTwo = h.Events.ToList();
        await keepAlive.ProbeAllAsync(CancellationToken.None);
        var availability = h.Directory.GetAvailability("op1001");
        var stillListed = h.Directory.RegisteredUsernames;
        sender.Alive = true;
        await keepAlive.ProbeAllAsync(CancellationToken.None);

        Assert.Equal(["registered:op1001"], afterTwo);
        Assert.Equal(OperatorAvailability.Unreachable, availability);
        Assert.Equal(["op1001"], stillListed);
        Assert.Equal(["registered:op1001", "unreachable:op1001", "registered:op1001"], h.Events);
        Assert.Equal(4, sender.Probes);
    }

    [Fact]
    public async Task ProcessRegisterAsync_UnreachableOperatorRegistersAgain_RegisteredRaised()
    {
        using var h = new OperatorDirectoryHarness();
        await h.RegisterAsync("op1001", "secret-1001", ContactA);
        h.Directory.Locations.SetReachable(Assert.Single(h.Directory.GetBindings("op1001")), false);

        await h.RegisterAsync("op1001", "secret-1001", ContactA);

        Assert.Equal(["registered:op1001", "unreachable:op1001", "registered:op1001"], h.Events);
        Assert.True(Assert.Single(h.Directory.GetBindings("op1001")).IsReachable);
    }

    [Fact]
    public async Task TryGetTarget_ContactMatchesSource_ContactHostAndPort()
    {
        using var h = new OperatorDirectoryHarness();
        await h.RegisterAsync("op1001", "secret-1001", "<sip:op1001@127.0.0.1:5070;ob>", source: OperatorDirectoryHarness.Udp("127.0.0.1", 5070));

        Assert.True(h.Directory.TryGetTarget("op1001", out SipUri? contact, out var destination));

        Assert.Equal("sip:op1001@127.0.0.1:5070;ob", contact.ToString());
        Assert.Equal(new SipEndPoint(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070)), destination);
    }

    [Fact]
    public async Task TryGetTarget_ContactBehindNat_SourceAddressWithContactAsRequestUri()
    {
        using var h = new OperatorDirectoryHarness();
        await h.RegisterAsync("op1001", "secret-1001", "<sip:op1001@192.168.1.20:5060>", source: OperatorDirectoryHarness.Udp("127.0.0.1", 40123));

        Assert.True(h.Directory.TryGetTarget("op1001", out OperatorTarget? target));

        Assert.Equal("sip:op1001@192.168.1.20:5060", target.RequestUri.ToString());
        Assert.Equal(new SipEndPoint(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 40123)), target.Destination);
    }

    [Fact]
    public async Task TryGetTarget_TcpConnection_KeepsConnectionId()
    {
        using var h = new OperatorDirectoryHarness();
        var source = new RegistrationSource(new IPEndPoint(IPAddress.Loopback, 5072), SipTransportProtocol.Tcp, "42");
        await h.RegisterAsync("op1001", "secret-1001", ContactB, source: source);

        Assert.True(h.Directory.TryGetTarget("op1001", out OperatorTarget? target));

        Assert.Equal(new SipEndPoint(SipTransportProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 5072)), target.Destination);
        Assert.Equal(42, target.ConnectionId);
    }

    [Fact]
    public async Task TryGetTarget_OneOfTwoUnreachable_PrefersReachableDespiteLowerQ()
    {
        using var h = new OperatorDirectoryHarness();
        await h.RegisterAsync("op1001", "secret-1001", "<sip:op1001@127.0.0.1:5070>;q=1.0|<sip:op1001@127.0.0.1:5072;transport=tcp>;q=0.5");
        var preferred = h.Directory.GetBindings("op1001")[0];
        h.Directory.Locations.SetReachable(preferred, false);

        Assert.True(h.Directory.TryGetTarget("op1001", out OperatorTarget? target));

        Assert.Equal("sip:op1001@127.0.0.1:5072;transport=tcp", target.RequestUri.ToString());
        Assert.Equal(2, h.Directory.GetTargets("op1001").Count);
        Assert.Equal(["registered:op1001"], h.Events);
    }

    [Fact]
    public void TryGetTarget_NeverRegistered_False()
    {
        using var h = new OperatorDirectoryHarness();

        Assert.False(h.Directory.TryGetTarget("op1001", out SipUri? contact, out _));
        Assert.Null(contact);
    }

    [Fact]
    public async Task Start_NewDirectoryOnSameDataDirectory_RestoresBindingsAndRaisesRegistered()
    {
        using var first = new OperatorDirectoryHarness();
        await first.RegisterAsync("op1001", "secret-1001", ContactA);
        await first.RegisterAsync("op1002", "secret-1002", "<sip:op1002@127.0.0.1:5071>");

        using var second = new OperatorDirectoryHarness(first.Time, first.DataDirectory);
        var restored = second.Directory.Start();
        var again = second.Directory.Start();

        Assert.Equal(2, restored);
        Assert.Equal(0, again);
        Assert.Equal(["op1001", "op1002"], second.Directory.RegisteredUsernames);
        Assert.Equal(["registered:op1001", "registered:op1002"], second.Events);
        Assert.True(second.Directory.TryGetTarget("op1002", out SipUri? contact, out _));
        Assert.Equal("sip:op1002@127.0.0.1:5071", contact.ToString());
        Assert.True(File.Exists(Path.Combine(first.DataDirectory, "registrations", JsonFileRegistrationStore.FileName)));
    }

    [Fact]
    public async Task Start_PersistedBindingExpiredWhileDown_NotRestored()
    {
        using var first = new OperatorDirectoryHarness();
        await first.RegisterAsync("op1001", "secret-1001", ContactA, 60);
        first.Time.Advance(TimeSpan.FromSeconds(3));

        // Stopped before the sweep removed it from the file; the clock moved on past its expiry.
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(first.Time.GetUtcNow() + TimeSpan.FromMinutes(5));
        using var second = new OperatorDirectoryHarness(later, first.DataDirectory);

        Assert.Equal(0, second.Directory.Start());
        Assert.Empty(second.Events);
    }

    [Fact]
    public async Task ProcessRegisterAsync_SubscriberThrows_RegistrationStillAccepted()
    {
        using var h = new OperatorDirectoryHarness();
        h.Directory.BindingsChanged += (_, _) => throw new InvalidOperationException("subscriber bug");

        var result = await h.RegisterAsync("op1001", "secret-1001", ContactA);

        Assert.Equal(200, result.Response.StatusCode);
        Assert.Equal(["registered:op1001"], h.Events);
    }

    [Fact]
    public async Task AuthenticateAsync_InviteWithOperatorCredentials_ReturnsUsername()
    {
        using var h = new OperatorDirectoryHarness();
        var invite = Invite(null);

        var challenge = await h.Directory.AuthenticateAsync(invite, IPAddress.Loopback, asProxy: true, CancellationToken.None);
        var client = new DigestClient("op1002", "secret-1002");
        Assert.True(client.TryRespond(challenge.Rejection!.Headers.GetAll(HeaderId.ProxyAuthenticate), SipMethods.Invite, "sip:*21@127.0.0.1", out var authorization, out _));
        var verdict = await h.Directory.AuthenticateAsync(Invite(authorization), IPAddress.Loopback, asProxy: true, CancellationToken.None);

        Assert.Equal(407, challenge.Rejection.StatusCode);
        Assert.True(verdict.IsAuthenticated);
        Assert.Equal("op1002", verdict.Username);
        Assert.Equal(DigestAlgorithm.Sha256, verdict.Verification?.Algorithm);
    }

    [Fact]
    public async Task ProcessRegisterAsync_Md5OnlyOffered_SingleMd5Challenge()
    {
        using var h = new OperatorDirectoryHarness(algorithms: [DigestAlgorithm.Md5]);

        var result = await h.Directory.ProcessRegisterAsync(
            OperatorDirectoryHarness.Register("op1001", "c9", 1, ContactA, 3600), OperatorDirectoryHarness.Udp(), CancellationToken.None);

        Assert.Contains("algorithm=MD5", Assert.Single(result.Response.Headers.GetAll(HeaderId.WwwAuthenticate)), StringComparison.Ordinal);
    }

    private static SipRequest Invite(string? proxyAuthorization)
    {
        var text = "INVITE sip:*21@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK" + Guid.NewGuid().ToString("N")[..10] + "\r\n"
            + "Max-Forwards: 70\r\nFrom: <sip:op1002@127.0.0.1>;tag=x1\r\nTo: <sip:*21@127.0.0.1>\r\n"
            + "Call-ID: feature-1\r\nCSeq: " + (proxyAuthorization is null ? 1 : 2) + " INVITE\r\nContact: <sip:op1002@127.0.0.1:5070>\r\n"
            + (proxyAuthorization is null ? "" : "Proxy-Authorization: " + proxyAuthorization + "\r\n")
            + "Content-Length: 0\r\n\r\n";
        var parsed = SipParser.Parse(System.Text.Encoding.UTF8.GetBytes(text));
        Assert.True(parsed.Success, parsed.Error);
        return (SipRequest)parsed.Message!;
    }

    private sealed class ScriptedSender : IBindingKeepAliveSender
    {
        private int _probes;

        public bool Alive { get; set; }

        public int Probes => _probes;

        public ValueTask<bool> SendOptionsAsync(RegistrationBinding binding, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _probes);
            return ValueTask.FromResult(Alive);
        }
    }
}
