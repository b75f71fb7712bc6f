using System.Security.Cryptography;

namespace Intake.Sip.Dialogs;

/// <summary>From/To tags and Call-IDs (RFC 3261 §19.3 asks for at least 32 random bits; these carry 64 and 128).</summary>
public static class SipTag
{
    public static string Create()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random);
    }

    /// <summary>A Call-ID: 128 random bits, optionally qualified by a host.</summary>
    public static string CreateCallId(string? host = null)
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        var id = Convert.ToHexStringLower(random);
        return host is null ? id : string.Concat(id, "@", host);
    }
}
