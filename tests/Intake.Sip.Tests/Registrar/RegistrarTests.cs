using Intake.Sip.Messages;
using Intake.Sip.Registrar;

namespace Intake.Sip.Tests.Registrar;

public sealed class RegistrarTests : IDisposable
{
    private const string PhoneContact = "<sip:1001@127.0.0.1:5070>";
    private readonly RegistrarFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task ProcessAsync_NoCredentials_401WithSha256ThenMd5Challenges()
    {
        var result = await _fixture.SendAsync(RegisterRequestBuilder.Build("1001", 1, [PhoneContact], 600));

        Assert.Equal(401, result.Response.StatusCode);
        var challenges = result.Response.Headers.GetAll(HeaderId.WwwAuthenticate);
        Assert.Equal(2, challenges.Count);
        Assert.Contains("algorithm=SHA-256", challenges[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=MD5", challenges[1], StringComparison.Ordinal);
        Assert.NotNull(result.Response.To?.Tag);
        Assert.Null(result.Change);
    }

    [Fact]
    public async Task ProcessAsync_Register_200WithContactExpiresAndDate()
    {
        var result = await _fixture.RegisterAsync(2, [PhoneContact], 600);

        Assert.Equal(200, result.Response.StatusCode);
        var contact = Assert.Single(result.Response.Contacts);
        Assert.Equal("600", contact.GetParameter("expires"));
        Assert.Equal("Sat, 01 Mar 2025 08:00:00 GMT", result.Response.Headers.Get(HeaderId.Date));
        Assert.Equal("1001", result.Username);
        var added = Assert.Single(result.Change!.Added);
        Assert.Equal(RegistrarFixture.PhoneEndPoint, added.Source);
        Assert.Equal(SipTransportProtocol.Udp, added.Transport);
        Assert.Equal("TestPhone/1.0", added.UserAgent);
        Assert.Single(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task ProcessAsync_NoExpiresAnywhere_DefaultClampedToMax()
    {
        var result = await _fixture.RegisterAsync(2, [PhoneContact]);

        Assert.Equal("3600", Assert.Single(result.Response.Contacts).GetParameter("expires"));
    }

    [Fact]
    public async Task ProcessAsync_ExpiresAboveMax_Shortened()
    {
        var result = await _fixture.RegisterAsync(2, [PhoneContact + ";expires=99999999999"]);

        Assert.Equal("3600", Assert.Single(result.Response.Contacts).GetParameter("expires"));
    }

    [Fact]
    public async Task ProcessAsync_Refresh_SameBindingNewExpiry()
    {
        await _fixture.RegisterAsync(2, [PhoneContact], 600);
        _fixture.Time.Advance(TimeSpan.FromSeconds(300));

        var refresh = await _fixture.RegisterAsync(3, [PhoneContact], 600);

        Assert.Equal(200, refresh.Response.StatusCode);
        Assert.Equal("600", Assert.Single(refresh.Response.Contacts).GetParameter("expires"));
        Assert.Empty(refresh.Change!.Added);
        var refreshed = Assert.Single(refresh.Change.Refreshed);
        Assert.Equal(_fixture.Time.GetUtcNow().AddSeconds(-300), refreshed.RegisteredAt);
        Assert.Equal(3u, refreshed.CSeq);
    }

    [Fact]
    public async Task ProcessAsync_TwoContacts_BothListedOrderedByQ()
    {
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>;q=0.5"], 600);

        var second = await _fixture.RegisterAsync(3, ["<sip:1001@127.0.0.1:5080>;q=0.9"], 300, callId: "call-2@127.0.0.1");

        Assert.Equal(2, second.Response.Contacts.Count);
        Assert.Equal(5080, second.Response.Contacts[0].Uri.Port);
        Assert.Equal("300", second.Response.Contacts[0].GetParameter("expires"));
        Assert.Equal("600", second.Response.Contacts[1].GetParameter("expires"));
        Assert.Equal(2, _fixture.Registrar.GetContacts("1001").Count);
    }

    [Fact]
    public async Task ProcessAsync_NoContact_QueryReturnsBindingsUnchanged()
    {
        await _fixture.RegisterAsync(2, [PhoneContact], 600);
        _fixture.Time.Advance(TimeSpan.FromSeconds(100));

        var query = await _fixture.RegisterAsync(3, []);

        Assert.Equal(200, query.Response.StatusCode);
        Assert.Equal("500", Assert.Single(query.Response.Contacts).GetParameter("expires"));
        Assert.True(query.Change!.IsEmpty);
    }

    [Fact]
    public async Task ProcessAsync_ExpiresZero_RemovesBinding()
    {
        await _fixture.RegisterAsync(2, [PhoneContact, "<sip:1001@127.0.0.1:5080>"], 600);

        var result = await _fixture.RegisterAsync(3, [PhoneContact], 0);

        Assert.Equal(200, result.Response.StatusCode);
        Assert.Single(result.Change!.Removed);
        Assert.Equal(5080, Assert.Single(result.Response.Contacts).Uri.Port);
        Assert.Single(_fixture.Store.Load());
    }

    [Fact]
    public async Task ProcessAsync_ContactExpiresParamZero_OverridesHeader()
    {
        await _fixture.RegisterAsync(2, [PhoneContact], 600);

        var result = await _fixture.RegisterAsync(3, [PhoneContact + ";expires=0"], 600);

        Assert.Empty(result.Response.Contacts);
        Assert.Empty(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task ProcessAsync_WildcardWithExpiresZero_RemovesAll()
    {
        await _fixture.RegisterAsync(2, [PhoneContact, "<sip:1001@127.0.0.1:5080>"], 600);

        var result = await _fixture.RegisterAsync(3, ["*"], 0);

        Assert.Equal(200, result.Response.StatusCode);
        Assert.Equal(2, result.Change!.Removed.Count);
        Assert.Empty(result.Response.Contacts);
        Assert.Empty(_fixture.Store.Load());
    }

    [Theory]
    [InlineData(600)]
    [InlineData(null)]
    public async Task ProcessAsync_WildcardWithoutExpiresZero_400(int? expires)
    {
        var result = await _fixture.RegisterAsync(2, ["*"], expires);

        Assert.Equal(400, result.Response.StatusCode);
    }

    [Fact]
    public async Task ProcessAsync_WildcardWithOtherContact_400()
    {
        var result = await _fixture.RegisterAsync(2, ["*", PhoneContact], 0);

        Assert.Equal(400, result.Response.StatusCode);
    }

    [Fact]
    public async Task ProcessAsync_ExpiresBelowMinimum_423WithMinExpires()
    {
        var result = await _fixture.RegisterAsync(2, [PhoneContact], 30);

        Assert.Equal(423, result.Response.StatusCode);
        Assert.Equal("60", result.Response.Headers.Get(HeaderId.MinExpires));
        Assert.Empty(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task ProcessAsync_SameCallIdLowerCSeq_500AndBindingKept()
    {
        await _fixture.RegisterAsync(5, [PhoneContact], 600);

        var delayed = await _fixture.RegisterAsync(4, [PhoneContact], 0);

        Assert.Equal(500, delayed.Response.StatusCode);
        Assert.Single(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task ProcessAsync_SameCallIdEqualCSeq_500()
    {
        await _fixture.RegisterAsync(5, [PhoneContact], 600);

        var repeated = await _fixture.RegisterAsync(5, [PhoneContact], 600);

        Assert.Equal(500, repeated.Response.StatusCode);
    }

    [Fact]
    public async Task ProcessAsync_DifferentCallIdLowerCSeq_Updates()
    {
        await _fixture.RegisterAsync(5, [PhoneContact], 600);

        var rebooted = await _fixture.RegisterAsync(1, [PhoneContact], 120, callId: "after-reboot");

        Assert.Equal(200, rebooted.Response.StatusCode);
        Assert.Equal("120", Assert.Single(rebooted.Response.Contacts).GetParameter("expires"));
    }

    [Fact]
    public async Task ProcessAsync_WildcardWithStaleCSeq_500AndNothingRemoved()
    {
        await _fixture.RegisterAsync(5, [PhoneContact], 600);

        var result = await _fixture.RegisterAsync(5, ["*"], 0);

        Assert.Equal(500, result.Response.StatusCode);
        Assert.Single(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task ProcessAsync_OtherUsersAor_403()
    {
        await _fixture.RegisterAsync(1, [PhoneContact], 600, user: "1002");
        var client = new Intake.Sip.Auth.DigestClient("1002", "pw1002");
        var challenge = await _fixture.SendAsync(RegisterRequestBuilder.Build("1001", 1, [PhoneContact], 600));
        client.TryRespond(challenge.Response.Headers.GetAll(HeaderId.WwwAuthenticate), "REGISTER", "sip:intake.test", out var authorization, out _);

        var result = await _fixture.SendAsync(RegisterRequestBuilder.Build("1001", 2, [PhoneContact], 600, authorization: authorization));

        Assert.Equal(403, result.Response.StatusCode);
        Assert.Empty(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task ProcessAsync_UnknownDomain_404()
    {
        var result = await _fixture.SendAsync(RegisterRequestBuilder.Build("1001", 1, [PhoneContact], 600, domain: "elsewhere.test"));

        Assert.Equal(404, result.Response.StatusCode);
    }

    [Theory]
    [InlineData("<sip:1001@127.0.0.1:5070>;q=2")]
    [InlineData("<sip:1001@127.0.0.1:5070>;expires=soon")]
    [InlineData("<tel:+15551234>")]
    public async Task ProcessAsync_InvalidContact_400(string contact)
    {
        var result = await _fixture.RegisterAsync(2, [contact], 600);

        Assert.Equal(400, result.Response.StatusCode);
    }

    [Fact]
    public async Task ProcessAsync_InstanceId_RefreshFromNewAddressReplacesBinding()
    {
        const string instance = ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1";
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>" + instance], 600);

        var moved = await _fixture.RegisterAsync(3, ["<sip:1001@127.0.0.2:5070>" + instance], 600);

        var binding = Assert.Single(_fixture.Registrar.GetContacts("1001"));
        Assert.Equal("<urn:uuid:00000000-0000-1000-8000-000A95A0E128>", binding.InstanceId);
        Assert.Equal("127.0.0.2", binding.ContactUri.Host);
        Assert.Single(moved.Change!.Refreshed);
        Assert.Contains("+sip.instance", moved.Response.Headers.Get(HeaderId.Contact), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_TooManyContacts_403()
    {
        var contacts = Enumerable.Range(0, 11).Select(i => $"<sip:1001@127.0.0.1:{6000 + i}>").ToArray();

        var result = await _fixture.RegisterAsync(2, contacts, 600);

        Assert.Equal(403, result.Response.StatusCode);
        Assert.Empty(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task ProcessAsync_ContactBehindNat_PrefersSource()
    {
        _fixture.Source = new RegistrationSource(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40000), SipTransportProtocol.Tcp, "conn-7");

        await _fixture.RegisterAsync(2, ["<sip:1001@192.168.1.20:5060;transport=tcp>"], 600);

        var binding = Assert.Single(_fixture.Registrar.GetContacts("1001"));
        Assert.True(binding.PrefersSource);
        Assert.Equal(40000, binding.Source.Port);
        Assert.Equal("conn-7", binding.ConnectionId);
    }

    [Fact]
    public async Task ProcessAsync_ContactMatchesSource_DoesNotPreferSource()
    {
        await _fixture.RegisterAsync(2, [PhoneContact], 600);

        Assert.False(Assert.Single(_fixture.Registrar.GetContacts("1001")).PrefersSource);
    }

    [Fact]
    public async Task ProcessAsync_NonRegister_Throws()
    {
        var options = RegisterRequestBuilder.Build("1001", 1, [], null);
        var request = new SipRequest(SipMethods.Options, options.RequestUri);

        await Assert.ThrowsAsync<ArgumentException>(async () => await _fixture.SendAsync(request));
    }
}
