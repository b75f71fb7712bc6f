using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// A phone written by hand on top of <see cref="RawSipClient"/>: builds REGISTERs and computes the RFC 7616 digest
/// itself (independently of the server's code), so tests control every byte of the Authorization header.
/// </summary>
internal sealed partial class DigestRegisterClient(RawSipClient client, int serverPort, string user)
{
    private readonly string _callId = Guid.NewGuid().ToString("N");
    private int _cseq;

    public string Uri => $"sip:127.0.0.1:{serverPort}";

    public string Contact(string tag = "") => $"<sip:{user}{tag}@127.0.0.1:{client.LocalPort}>";

    /// <summary>Sends a REGISTER and returns its final response (null on timeout).</summary>
    public async Task<string?> RegisterAsync(string? contact, int? expires, string? authorization = null, string? aor = null)
    {
        var text = new StringBuilder()
            .Append($"REGISTER {Uri} SIP/2.0\n")
            .Append("Via: SIP/2.0/UDP 127.0.0.1:$PORT$;rport;branch=$BRANCH$\n")
            .Append("Max-Forwards: 70\n")
            .Append($"From: <sip:{aor ?? user}@127.0.0.1:$SERVER$>;tag=t{_callId[..8]}\n")
            .Append($"To: <sip:{aor ?? user}@127.0.0.1:$SERVER$>\n")
            .Append($"Call-ID: {_callId}\n")
            .Append($"CSeq: {++_cseq} REGISTER\n");
        if (contact is not null)
        {
            text.Append($"Contact: {contact}\n");
        }

        if (expires is { } e)
        {
            text.Append($"Expires: {e}\n");
        }

        if (authorization is not null)
        {
            text.Append($"Authorization: {authorization}\n");
        }

        text.Append("User-Agent: intake-test-phone\nContent-Length: 0\n\n");
        await client.SendTextAsync(text.ToString());
        return await client.ReceiveFinalAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>The challenge of the given algorithm in a 401: (nonce, opaque).</summary>
    public static (string Nonce, string? Opaque) Challenge(string response, string algorithm)
    {
        foreach (var line in response.Split("\r\n"))
        {
            if (line.StartsWith("WWW-Authenticate:", StringComparison.OrdinalIgnoreCase)
                && line.Contains($"algorithm={algorithm}", StringComparison.OrdinalIgnoreCase)
                && line.Contains("qop=\"auth\"", StringComparison.Ordinal))
            {
                var opaque = OpaquePattern().Match(line);
                return (NoncePattern().Match(line).Groups[1].Value, opaque.Success ? opaque.Groups[1].Value : null);
            }
        }

        throw new InvalidOperationException($"no {algorithm} challenge with qop=auth in:\n{response}");
    }

    /// <summary>RFC 7616 §3.4.1 with qop=auth, computed here with the BCL hash primitives.</summary>
    public string Authorization(
        string algorithm, string password, string nonce, string? opaque, int nonceCount, string realm = "intake", string? username = null)
    {
        username ??= user;
        var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var nc = nonceCount.ToString("x8");
        var ha1 = Hash(algorithm, $"{username}:{realm}:{password}");
        var ha2 = Hash(algorithm, $"REGISTER:{Uri}");
        var response = Hash(algorithm, $"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}");
        var header = $"Digest username=\"{username}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{Uri}\", response=\"{response}\", "
            + $"algorithm={algorithm}, cnonce=\"{cnonce}\", qop=auth, nc={nc}";
        return opaque is null ? header : header + $", opaque=\"{opaque}\"";
    }

    public static string Hash(string algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Convert.ToHexStringLower(algorithm == "MD5" ? MD5.HashData(bytes) : SHA256.HashData(bytes));
    }

    public static IReadOnlyList<string> Contacts(string response) =>
        [.. response.Split("\r\n").Where(l => l.StartsWith("Contact:", StringComparison.OrdinalIgnoreCase)).Select(l => l[8..].Trim())];

    [GeneratedRegex("nonce=\"([^\"]+)\"")]
    private static partial Regex NoncePattern();

    [GeneratedRegex("opaque=\"([^\"]+)\"")]
    private static partial Regex OpaquePattern();
}
