using Intake.Sip.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Auth;

public sealed class DigestNonceServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Validate_FreshNonce_ValidWithIssueTime()
    {
        var service = Create();
        var nonce = service.CreateNonce();

        Assert.Equal(NonceStatus.Valid, service.Validate(nonce, out var issuedAt));
        Assert.Equal(_time.GetUtcNow(), issuedAt);
    }

    [Fact]
    public void Validate_AfterLifetime_Expired()
    {
        var service = Create();
        var nonce = service.CreateNonce();
        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(1));

        Assert.Equal(NonceStatus.Expired, service.Validate(nonce, out _));
    }

    [Fact]
    public void Validate_OtherSecret_Invalid()
    {
        var nonce = Create(0x01).CreateNonce();

        Assert.Equal(NonceStatus.Invalid, Create(0x02).Validate(nonce, out _));
    }

    [Fact]
    public void Validate_FlippedTimestampByte_Invalid()
    {
        var service = Create();
        var raw = Convert.FromBase64String(service.CreateNonce());
        raw[7] ^= 0x01;

        Assert.Equal(NonceStatus.Invalid, service.Validate(Convert.ToBase64String(raw), out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dcd98b7102dd2f0e8b11d0f600bfb0c093")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    public void Validate_Garbage_Invalid(string? nonce)
    {
        Assert.Equal(NonceStatus.Invalid, Create().Validate(nonce, out _));
    }

    [Fact]
    public void Validate_IssuedInTheFuture_Invalid()
    {
        var future = new FakeTimeProvider(_time.GetUtcNow().AddMinutes(1));
        var nonce = new DigestNonceService(new byte[16], TimeSpan.FromMinutes(5), future).CreateNonce();

        Assert.Equal(NonceStatus.Invalid, Create().Validate(nonce, out _));
    }

    [Fact]
    public void Constructor_ShortSecret_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DigestNonceService(new byte[8], TimeSpan.FromMinutes(5), _time));
    }

    private DigestNonceService Create(byte fill = 0)
    {
        var secret = new byte[16];
        Array.Fill(secret, fill);
        return new DigestNonceService(secret, TimeSpan.FromMinutes(5), _time);
    }
}
