using System.Globalization;
using Intake.Sip.Messages;

namespace Intake.Sip.Registrar;

/// <summary>Validates the Contact and Expires fields of a REGISTER (RFC 3261 §10.3 steps 6-7) into binding updates.</summary>
internal static class RegisterRequestReader
{
    private const long MaxDeltaSeconds = uint.MaxValue;

    /// <summary>The validated content, or the status (400/423) and reason to answer with.</summary>
    internal sealed record Outcome(IReadOnlyList<BindingUpdate> Updates, bool RemoveAll, int StatusCode, string? Reason);

    public static Outcome Read(SipRequest request, RegistrarOptions options)
    {
        long? headerExpires = null;
        if (request.Headers.Get(HeaderId.Expires) is { } expiresText)
        {
            if (!TryParseDelta(expiresText, out var value))
            {
                return Fail(400, "Bad Request - Invalid Expires");
            }

            headerExpires = value;
        }

        var contactTexts = request.Headers.GetAll(HeaderId.Contact);
        var contacts = new List<SipNameAddress>(contactTexts.Count);
        foreach (var text in contactTexts)
        {
            if (!SipNameAddress.TryParse(text, out var contact) || contact is null)
            {
                return Fail(400, "Bad Request - Invalid Contact");
            }

            contacts.Add(contact);
        }

        if (contacts.Any(c => c.IsWildcard))
        {
            // "*" only alone and only with Expires: 0 (§10.2.2, §10.3 step 6).
            return contacts.Count == 1 && headerExpires == 0
                ? new Outcome([], true, 200, null)
                : Fail(400, "Bad Request - Invalid wildcard Contact");
        }

        var updates = new List<BindingUpdate>(contacts.Count);
        foreach (var contact in contacts)
        {
            if (contact.Uri.Scheme is not ("sip" or "sips"))
            {
                return Fail(400, "Bad Request - Unsupported Contact URI");
            }

            var expires = headerExpires ?? options.DefaultExpires;
            if (contact.GetParameter("expires") is { } contactExpires)
            {
                if (!TryParseDelta(contactExpires, out expires))
                {
                    return Fail(400, "Bad Request - Invalid Contact expires");
                }
            }

            if (expires > 0 && expires < options.MinExpires)
            {
                return Fail(423, null);
            }

            double? q = null;
            if (contact.GetParameter("q") is { } qText)
            {
                if (!double.TryParse(qText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var qValue) || qValue > 1)
                {
                    return Fail(400, "Bad Request - Invalid q");
                }

                q = qValue;
            }

            var seconds = Math.Min(expires, options.MaxExpires);
            updates.Add(new BindingUpdate(
                contact, TimeSpan.FromSeconds(seconds), Unquote(contact.GetParameter("+sip.instance")), contact.GetParameter("reg-id"), q));
        }

        return new Outcome(updates, false, 200, null);
    }

    /// <summary>delta-seconds; values beyond 2^32-1 are taken as 2^32-1 (RFC 3261 §20.19 / §10.2.1.1).</summary>
    private static bool TryParseDelta(string text, out long value)
    {
        var span = text.AsSpan().Trim();
        value = 0;
        if (span.IsEmpty || span.Length > 20)
        {
            return false;
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        value = span.Length > 10 || !long.TryParse(span, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? MaxDeltaSeconds
            : Math.Min(parsed, MaxDeltaSeconds);
        return true;
    }

    private static string? Unquote(string? value) =>
        value is { Length: >= 2 } && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static Outcome Fail(int statusCode, string? reason) => new([], false, statusCode, reason);
}
