using System.Security.Cryptography;
using System.Text;

namespace Intake.Sip.Auth;

/// <summary>The H() and KD() building blocks of RFC 7616 §3.4, producing lowercase hex.</summary>
public static class DigestHash
{
    public static string GetName(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Sess => "SHA-256-sess",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Algorithm token comparison is case-insensitive (RFC 7616 §3.3); an absent token means MD5.</summary>
    public static bool TryParseName(string? name, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        if (name is null || name.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (name.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }

        if (name.Equals("MD5-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Md5Sess;
            return true;
        }

        if (name.Equals("SHA-256-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256Sess;
            return true;
        }

        return false;
    }

    public static bool IsSession(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess;

    /// <summary>Length in hex characters of a digest produced by the algorithm.</summary>
    public static int HexLength(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess ? 32 : 64;

    /// <summary>H(data) as lowercase hex; the parts are joined with ':' as every Digest formula does.</summary>
    public static string Hash(DigestAlgorithm algorithm, params ReadOnlySpan<string> parts)
    {
        var length = parts.Length == 0 ? 0 : parts.Length - 1;
        foreach (var part in parts)
        {
            length += Encoding.UTF8.GetByteCount(part);
        }

        var buffer = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                buffer[written++] = (byte)':';
            }

            written += Encoding.UTF8.GetBytes(parts[i], buffer[written..]);
        }

        Span<byte> digest = stackalloc byte[32];
        var digestLength = algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess
            ? MD5.HashData(buffer[..written], digest)
            : SHA256.HashData(buffer[..written], digest);
        return Convert.ToHexStringLower(digest[..digestLength]);
    }

    /// <summary>H(A1) of RFC 7616 §3.4.2, the value a credential store may keep instead of the password.</summary>
    public static string ComputeHa1(DigestAlgorithm algorithm, string username, string realm, string password) =>
        Hash(algorithm, username, realm, password);

    /// <summary>For the -sess variants A1 also covers the nonces, so the stored H(user:realm:pass) is hashed again.</summary>
    public static string SessionHa1(DigestAlgorithm algorithm, string ha1, string nonce, string cnonce) =>
        IsSession(algorithm) ? Hash(algorithm, ha1, nonce, cnonce) : ha1;

    /// <summary>The request-digest of RFC 7616 §3.4.1 for qop=auth.</summary>
    public static string ComputeResponse(
        DigestAlgorithm algorithm, string ha1, string nonce, string nonceCount, string cnonce, string qop, string method, string uri)
    {
        var ha2 = Hash(algorithm, method, uri);
        return Hash(algorithm, SessionHa1(algorithm, ha1, nonce, cnonce), nonce, nonceCount, cnonce, qop, ha2);
    }

    /// <summary>The RFC 2069 form without qop, needed only to talk to old servers as a client.</summary>
    public static string ComputeLegacyResponse(DigestAlgorithm algorithm, string ha1, string nonce, string method, string uri) =>
        Hash(algorithm, ha1, nonce, Hash(algorithm, method, uri));
}
