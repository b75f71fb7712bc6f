using System.Text;
using Intake.Sip.Messages;

namespace Intake.Server.Calls;

/// <summary>Finds the SDP in a message body: the whole body, or the application/sdp part of a multipart body (RFC 5621).</summary>
public static class SdpBody
{
    public const string ContentType = "application/sdp";

    /// <summary>The SDP bytes, or empty when the message carries none.</summary>
    public static ReadOnlyMemory<byte> Find(SipMessage message)
    {
        var type = message.ContentType;
        if (message.Body.IsEmpty || type is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (IsType(type, ContentType))
        {
            return message.Body;
        }

        if (IsType(type, "multipart/mixed") || IsType(type, "multipart/related") || IsType(type, "multipart/alternative"))
        {
            foreach (var part in MultipartBody.Parse(type, message.Body))
            {
                if (IsType(part.ContentType, ContentType))
                {
                    return part.Body;
                }
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    public static bool IsType(string? contentType, string expected)
    {
        if (contentType is null)
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';');
        var media = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return media.Equals(expected, StringComparison.OrdinalIgnoreCase);
    }

    public static string Describe(ReadOnlyMemory<byte> body) => Encoding.UTF8.GetString(body.Span);
}
