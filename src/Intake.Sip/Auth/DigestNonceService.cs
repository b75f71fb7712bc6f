using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Intake.Sip.Auth;

/// <summary>
/// Stateless nonces: base64(timestamp | random | HMAC-SHA256(secret, timestamp | random)[..16]).
/// The server validates a nonce and learns its age without storing it, so challenges cost no memory
/// and a flood of unauthenticated REGISTERs cannot exhaust anything.
/// </summary>
public sealed class DigestNonceService
{
    private const int TimestampLength = 8;
    private const int RandomLength = 16;
    private const int MacLength = 16;
    private const int RawLength = TimestampLength + RandomLength + MacLength;
    private const int EncodedLength = (RawLength + 2) / 3 * 4;

    // Clocks of a cluster may disagree a little; a nonce "from the future" beyond this is forged.
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromSeconds(5);

    private readonly byte[] _secret;
    private readonly TimeProvider _timeProvider;

    public DigestNonceService(ReadOnlySpan<byte> secret, TimeSpan lifetime, TimeProvider timeProvider)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("The nonce secret must be at least 16 bytes.", nameof(secret));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        _secret = secret.ToArray();
        Lifetime = lifetime;
        _timeProvider = timeProvider;
    }

    public TimeSpan Lifetime { get; }

    public string CreateNonce()
    {
        Span<byte> raw = stackalloc byte[RawLength];
        BinaryPrimitives.WriteInt64BigEndian(raw, _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(raw.Slice(TimestampLength, RandomLength));
        ComputeMac(raw[..(TimestampLength + RandomLength)], raw[(TimestampLength + RandomLength)..]);
        return Convert.ToBase64String(raw);
    }

    /// <summary>Checks the MAC and the age; issuedAt is meaningful unless the status is Invalid.</summary>
    public NonceStatus Validate(string? nonce, out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        if (nonce is null || nonce.Length != EncodedLength)
        {
            return NonceStatus.Invalid;
        }

        Span<byte> raw = stackalloc byte[RawLength];
        if (!Convert.TryFromBase64String(nonce, raw, out var written) || written != RawLength)
        {
            return NonceStatus.Invalid;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        ComputeMac(raw[..(TimestampLength + RandomLength)], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, raw[(TimestampLength + RandomLength)..]))
        {
            return NonceStatus.Invalid;
        }

        var milliseconds = BinaryPrimitives.ReadInt64BigEndian(raw);
        if (milliseconds < 0 || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return NonceStatus.Invalid;
        }

        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        var now = _timeProvider.GetUtcNow();
        if (issuedAt > now + FutureTolerance)
        {
            return NonceStatus.Invalid;
        }

        return now - issuedAt > Lifetime ? NonceStatus.Expired : NonceStatus.Valid;
    }

    private void ComputeMac(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, data, mac);
        mac[..MacLength].CopyTo(destination);
    }
}
