using System.Text;

namespace Intake.Sip.Transport;

/// <summary>
/// The Call-ID of a received message, read from its raw bytes without parsing it (RFC 3261 §20.8; compact form "i",
/// §7.3.3): what the processing loops key on so that every message of one call is handled in arrival order, one at
/// a time, while other calls' messages are handled in parallel. Returns a 64-bit FNV-1a hash of the value: two calls
/// sharing a hash are merely serialised, never mixed up. Call-IDs compare byte for byte, so the hash is case-sensitive.
/// </summary>
public static class SipCallIdPeek
{
    /// <summary>The key of messages without a readable Call-ID (they are handled one at a time, among themselves).</summary>
    public const ulong None = 0;

    // Header sections past this are not searched: a Call-ID after 8 KB of headers keys as None.
    private const int MaxScannedBytes = 8192;
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The key of <paramref name="message"/>'s Call-ID, or <see cref="None"/> when it has none before the body.</summary>
    public static ulong KeyOf(ReadOnlySpan<byte> message)
    {
        var headers = message.Length > MaxScannedBytes ? message[..MaxScannedBytes] : message;

        // Skip leading CRLFs (§7.5) and the start line.
        var start = headers.IndexOfAnyExcept((byte)'\r', (byte)'\n');
        if (start < 0)
        {
            return None;
        }

        var rest = headers[start..];
        var end = rest.IndexOf((byte)'\n');
        while (end >= 0)
        {
            rest = rest[(end + 1)..];
            end = rest.IndexOf((byte)'\n');
            var line = end >= 0 ? rest[..end] : rest;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                // End of the header section: the body is not searched.
                return None;
            }

            if (TryValue(line, out var value))
            {
                return Hash(value);
            }
        }

        return None;
    }

    private static bool TryValue(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        value = default;
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        if (!(name.Length == 1 && (name[0] | 0x20) == 'i') && !Ascii.EqualsIgnoreCase(name, "Call-ID"u8))
        {
            return false;
        }

        value = line[(colon + 1)..].Trim(" \t"u8);
        return !value.IsEmpty;
    }

    private static ulong Hash(ReadOnlySpan<byte> value)
    {
        var hash = OffsetBasis;
        foreach (var b in value)
        {
            hash = (hash ^ b) * Prime;
        }

        // None is reserved for "no Call-ID".
        return hash == None ? 1 : hash;
    }
}
