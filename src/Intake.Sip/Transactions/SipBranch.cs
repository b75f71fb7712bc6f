using System.Security.Cryptography;

namespace Intake.Sip.Transactions;

/// <summary>Via branch parameters (RFC 3261 §8.1.1.7).</summary>
public static class SipBranch
{
    /// <summary>Prefix that marks a branch as globally unique and usable as a transaction id.</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>A new branch: the magic cookie followed by 96 random bits.</summary>
    public static string Create()
    {
        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        return string.Concat(MagicCookie, Convert.ToHexStringLower(random));
    }

    public static bool IsRfc3261(string? branch) =>
        branch is not null && branch.Length > MagicCookie.Length && branch.StartsWith(MagicCookie, StringComparison.Ordinal);
}
