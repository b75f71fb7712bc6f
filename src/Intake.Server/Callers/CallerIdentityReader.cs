using Intake.Sip.Messages;

namespace Intake.Server.Callers;

/// <summary>Reads <see cref="CallerIdentity"/> from an INVITE's From, P-Asserted-Identity and Privacy headers.</summary>
public static class CallerIdentityReader
{
    // RFC 3325 allows two values; a few more are tolerated, a flood is not.
    private const int MaxAssertedIdentities = 4;
    private const int MaxPrivacyValues = 8;
    private const int MaxPrivacyValueLength = 32;

    public static CallerIdentity Read(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var from = request.From;
        var anonymous = from is not null && IsAnonymous(from.Uri);
        var asserted = ReadAssertedIdentities(request.Headers);
        var assertedNumber = AssertedNumber(asserted);

        var fromNumber = anonymous ? null : PhoneNumber.FromUri(from?.Uri);
        var (number, source) = fromNumber is not null
            ? (fromNumber, CallerNumberSource.From)
            : assertedNumber is not null
                ? (assertedNumber, CallerNumberSource.AssertedIdentity)
                : (string.Empty, CallerNumberSource.None);

        // An anonymous From's display name is "Anonymous" by RFC 3323; the asserted one names the real caller.
        var displayName = anonymous
            ? asserted.Select(a => a.DisplayName).FirstOrDefault(d => !string.IsNullOrEmpty(d)) ?? string.Empty
            : from?.DisplayName ?? string.Empty;

        return new CallerIdentity
        {
            Number = number,
            NumberSource = source,
            DisplayName = displayName,
            FromUri = from?.Uri.ToString() ?? string.Empty,
            IsAnonymous = anonymous,
            AssertedNumber = assertedNumber,
            AssertedIdentities = asserted.Select(a => a.Uri.ToString()).ToArray(),
            Privacy = ReadPrivacy(request.Headers),
        };
    }

    /// <summary>RFC 3323 §4.1.1.3: the anonymous URI is sip:anonymous@anonymous.invalid; "anonymous" users are treated alike.</summary>
    public static bool IsAnonymous(SipUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return string.Equals(uri.User, "anonymous", StringComparison.OrdinalIgnoreCase)
            || uri.Host.Equals("anonymous.invalid", StringComparison.OrdinalIgnoreCase);
    }

    private static List<SipNameAddress> ReadAssertedIdentities(SipHeaders headers)
    {
        var result = new List<SipNameAddress>(2);
        foreach (var text in headers.GetAll(HeaderId.PAssertedIdentity))
        {
            if (result.Count == MaxAssertedIdentities)
            {
                break;
            }

            if (SipNameAddress.TryParse(text, out var value) && value is { IsWildcard: false } && value.Uri.IsSupportedScheme && !IsAnonymous(value.Uri))
            {
                result.Add(value);
            }
        }

        return result;
    }

    // RFC 3325 §9.1: a tel URI states the number outright, so it wins over the sip one.
    private static string? AssertedNumber(List<SipNameAddress> asserted)
    {
        foreach (var value in asserted)
        {
            if (value.Uri.Scheme == "tel" && PhoneNumber.FromUri(value.Uri) is { } tel)
            {
                return tel;
            }
        }

        foreach (var value in asserted)
        {
            if (PhoneNumber.FromUri(value.Uri) is { } number)
            {
                return number;
            }
        }

        return null;
    }

    // Privacy-hdr = "Privacy" HCOLON priv-value *(";" priv-value); commas are accepted too, as some trunks send them.
    private static string[] ReadPrivacy(SipHeaders headers)
    {
        var values = new List<string>(2);
        foreach (var line in headers.GetAll(HeaderId.Privacy))
        {
            foreach (var item in line.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (values.Count == MaxPrivacyValues)
                {
                    return [.. values];
                }

                if (item.Length <= MaxPrivacyValueLength && item.All(IsTokenChar))
                {
                    var value = item.ToLowerInvariant();
                    if (!values.Contains(value))
                    {
                        values.Add(value);
                    }
                }
            }
        }

        return [.. values];
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '!' or '%' or '*' or '_' or '+' or '`' or '\'' or '~';
}
