namespace Intake.Sip.Auth;

public sealed record DigestAuthenticatorOptions
{
    /// <summary>The protection space sent in challenges; HA1 values in the credential store must use it.</summary>
    public required string Realm { get; init; }

    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// HMAC key for nonces (at least 16 bytes). Null draws a random key at start, which invalidates every
    /// outstanding nonce on restart; phones then simply get one more 401 (not stale) and re-authenticate.
    /// Share a configured key between cluster nodes.
    /// </summary>
    public byte[]? NonceSecret { get; init; }

    /// <summary>Upper bound on nonces whose nonce-count history is remembered.</summary>
    public int NonceCountCapacity { get; init; } = 100_000;

    public int MaxUsernameLength { get; init; } = 128;

    /// <summary>
    /// Algorithms offered, in preference order: RFC 7616 §3.7 has the server send the preferred challenge
    /// first. SHA-256 first, MD5 kept for the many SIP phones that still know nothing else.
    /// </summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms { get; init; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];
}
