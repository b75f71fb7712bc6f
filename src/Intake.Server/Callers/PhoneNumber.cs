using Intake.Sip.Messages;

namespace Intake.Server.Callers;

/// <summary>Caller numbers from sip and tel URIs (RFC 3966 §5.1.1 visual separators removed).</summary>
public static class PhoneNumber
{
    private const int MaxLength = 64;

    /// <summary>
    /// The number in a URI: the tel number, or the sip user part. A user part that looks like a telephone number
    /// loses its visual separators; any other user part ("alice") is returned as received. Null when there is none.
    /// </summary>
    public static string? FromUri(SipUri? uri)
    {
        if (uri is null || uri.Scheme is not ("sip" or "sips" or "tel") || string.IsNullOrEmpty(uri.User))
        {
            return null;
        }

        // A user=phone user part may carry telephone-subscriber parameters (";phone-context=..."); they are not the number.
        var user = uri.User;
        var semicolon = user.IndexOf(';');
        if (semicolon >= 0)
        {
            user = user[..semicolon];
        }

        if (user.Length is 0 or > MaxLength)
        {
            return null;
        }

        return TryNormalize(user, out var number) ? number : user;
    }

    /// <summary>Strips visual separators; succeeds when what is left is a global or local telephone number.</summary>
    public static bool TryNormalize(string text, out string number)
    {
        number = string.Empty;
        Span<char> digits = stackalloc char[MaxLength];
        var count = 0;
        var hasDigit = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '-' or '.' or '(' or ')' or ' ')
            {
                continue;
            }

            var allowed = char.IsAsciiDigit(c) || c is '*' or '#' || (c == '+' && count == 0);
            if (!allowed || count == MaxLength)
            {
                return false;
            }

            hasDigit |= char.IsAsciiDigit(c);
            digits[count++] = c;
        }

        if (!hasDigit)
        {
            return false;
        }

        number = new string(digits[..count]);
        return true;
    }
}
