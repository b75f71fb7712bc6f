namespace Intake.Sip.Auth;

/// <summary>
/// What the server knows about an operator's secret: the clear password, or pre-computed H(A1) values
/// (H(username:realm:password)) so that the store never holds passwords. An HA1 is bound to the realm it
/// was computed for, and each algorithm needs its own HA1: a store with only an MD5 HA1 cannot verify a
/// SHA-256 response, which then fails like a wrong password.
/// </summary>
public sealed record OperatorCredential
{
    public string? Password { get; init; }
    public string? Ha1Md5 { get; init; }
    public string? Ha1Sha256 { get; init; }

    public static OperatorCredential FromPassword(string password) => new() { Password = password };

    public static OperatorCredential FromHa1(string? ha1Md5, string? ha1Sha256) =>
        new() { Ha1Md5 = ha1Md5?.ToLowerInvariant(), Ha1Sha256 = ha1Sha256?.ToLowerInvariant() };

    /// <summary>H(A1) for a non-session algorithm, or null when this credential cannot provide it.</summary>
    public string? GetHa1(DigestAlgorithm algorithm, string username, string realm)
    {
        var baseAlgorithm = algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess
            ? DigestAlgorithm.Md5
            : DigestAlgorithm.Sha256;
        if (Password is not null)
        {
            return DigestHash.ComputeHa1(baseAlgorithm, username, realm, Password);
        }

        return baseAlgorithm == DigestAlgorithm.Md5 ? Ha1Md5 : Ha1Sha256;
    }
}
