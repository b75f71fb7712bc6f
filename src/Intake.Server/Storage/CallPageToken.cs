using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace Intake.Server.Storage;

/// <summary>
/// The position after the last call of a page (arrival time, call id): keyset paging stays correct while new calls
/// arrive. Clients see it as an opaque base64url string.
/// </summary>
public sealed record CallPageToken(long ArrivedAtMs, string CallId)
{
    private const byte Version = 1;

    public string Encode()
    {
        var id = Encoding.UTF8.GetBytes(CallId);
        var bytes = new byte[1 + 8 + id.Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), ArrivedAtMs);
        id.CopyTo(bytes.AsSpan(9));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>False for anything this server did not hand out.</summary>
    public static bool TryDecode(string token, out CallPageToken? result)
    {
        result = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length < 10 || bytes[0] != Version)
        {
            return false;
        }

        try
        {
            var id = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 9, bytes.Length - 9);
            result = new CallPageToken(BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1)), id);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
