using Intake.Sip.Registrar;

namespace Intake.Sip.Tests.Registrar;

public sealed class RegistrarExpiryTests : IDisposable
{
    private readonly RegistrarFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Sweep_AfterExpiry_RaisesBindingExpiredAndForgetsBinding()
    {
        var expired = new List<RegistrationBinding>();
        _fixture.Locations.BindingExpired += (_, e) => expired.Add(e.Binding);
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 60);

        _fixture.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(expired);
        Assert.Single(_fixture.Registrar.GetContacts("1001"));

        _fixture.Time.Advance(TimeSpan.FromSeconds(6));

        var binding = Assert.Single(expired);
        Assert.Equal("1001", binding.Aor);
        Assert.Empty(_fixture.Registrar.GetContacts("1001"));
        Assert.Empty(_fixture.Store.Load());
    }

    [Fact]
    public async Task GetContacts_ExpiredBeforeSweep_NotReturned()
    {
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 60);

        _fixture.Time.Advance(TimeSpan.FromSeconds(60));

        Assert.Empty(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task Sweep_RefreshedBeforeExpiry_Kept()
    {
        var expired = 0;
        _fixture.Locations.BindingExpired += (_, _) => expired++;
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 60);
        _fixture.Time.Advance(TimeSpan.FromSeconds(50));
        await _fixture.RegisterAsync(3, ["<sip:1001@127.0.0.1:5070>"], 60);

        _fixture.Time.Advance(TimeSpan.FromSeconds(50));

        Assert.Equal(0, expired);
        Assert.Single(_fixture.Registrar.GetContacts("1001"));
    }

    [Fact]
    public async Task Sweep_OnlyOneOfTwoExpired_OtherRemains()
    {
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>;expires=60", "<sip:1001@127.0.0.1:5080>;expires=600"]);

        _fixture.Time.Advance(TimeSpan.FromSeconds(120));

        Assert.Equal(5080, Assert.Single(_fixture.Registrar.GetContacts("1001")).ContactUri.Port);
    }

    [Fact]
    public async Task Sweep_SubscriberThrows_TimerKeepsRunning()
    {
        var calls = 0;
        _fixture.Locations.BindingExpired += (_, _) =>
        {
            calls++;
            throw new InvalidOperationException("subscriber fault");
        };
        await _fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 60);
        await _fixture.RegisterAsync(1, ["<sip:1002@127.0.0.1:5071>"], 120, user: "1002");

        _fixture.Time.Advance(TimeSpan.FromSeconds(65));
        _fixture.Time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(2, calls);
        Assert.Empty(_fixture.Locations.GetAllBindings());
    }

    [Fact]
    public async Task Apply_LapsedBindingMatchedByNewRegister_ExpiredEventAndFreshAdd()
    {
        var options = new RegistrarOptions { Domains = [RegistrarFixture.Realm], SweepInterval = TimeSpan.FromHours(1) };
        using var fixture = new RegistrarFixture(options: options);
        var expired = 0;
        fixture.Locations.BindingExpired += (_, _) => expired++;
        await fixture.RegisterAsync(2, ["<sip:1001@127.0.0.1:5070>"], 60);
        fixture.Time.Advance(TimeSpan.FromSeconds(90));

        var result = await fixture.RegisterAsync(3, ["<sip:1001@127.0.0.1:5070>"], 60);

        Assert.Equal(1, expired);
        Assert.Single(result.Change!.Added);
    }
}
