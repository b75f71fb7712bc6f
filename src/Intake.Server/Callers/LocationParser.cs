using Intake.Contracts.V1;
using Intake.Server.Calls;
using Intake.Sip.Messages;

namespace Intake.Server.Callers;

/// <summary>
/// Finds the caller's location in an INVITE (RFC 6442): the Geolocation header names either a body part
/// (cid: URI, location by value as PIDF-LO) or a location elsewhere (by reference). Never throws on bad input.
/// </summary>
public static class LocationParser
{
    public const string PidfContentType = "application/pidf+xml";

    private const int MaxValues = 8;
    private const int MaxNestedMultipart = 2;

    private static readonly string[] ReferenceSchemes = ["sip", "sips", "pres", "http", "https"];

    public static LocationResult Parse(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notes = new List<string>();
        var routing = ReadRouting(request.Headers, notes);
        var values = new List<GeolocationValue>();
        foreach (var text in request.Headers.GetAll(HeaderId.Geolocation))
        {
            if (values.Count == MaxValues)
            {
                notes.Add($"Geolocation values beyond {MaxValues} ignored");
                break;
            }

            if (GeolocationValue.TryParse(text, out var error) is { } value)
            {
                values.Add(value);
            }
            else
            {
                notes.Add(error!);
            }
        }

        return Resolve(request, values, notes) with { RoutingAllowed = routing, Values = values };
    }

    private static LocationResult Resolve(SipRequest request, List<GeolocationValue> values, List<string> notes)
    {
        if (values.Count == 0)
        {
            // RFC 6442 wants the header, but a PIDF-LO sent without one still says where the caller is.
            if (FindParts(request).FirstOrDefault(p => IsPidf(p.ContentType)) is { } orphan)
            {
                notes.Add("PIDF-LO body without a Geolocation header");
                return PidfLoReader.Read(orphan.Body, string.Empty, notes);
            }

            return LocationResult.None(notes.Count > 0 ? notes[0] : "no Geolocation header", notes);
        }

        // By value first: a location in hand beats a reference dispatch would still have to dereference.
        string? firstFailure = null;
        foreach (var value in values.Where(v => v.IsByValue))
        {
            var result = ReadByValue(request, value, notes);
            if (result.Location is not null)
            {
                return result;
            }

            firstFailure ??= result.Reason;
            notes.Add($"{value.Uri}: {result.Reason}");
        }

        foreach (var value in values.Where(v => !v.IsByValue))
        {
            if (!ReferenceSchemes.Contains(value.Scheme))
            {
                firstFailure ??= $"unsupported Geolocation URI scheme \"{value.Scheme}\"";
                notes.Add($"{value.Uri}: unsupported scheme");
                continue;
            }

            var location = new Location { Conveyance = LocationResult.ByReference, ReferenceUri = value.Uri };
            return LocationResult.Found(location, notes);
        }

        return LocationResult.None(firstFailure ?? "no usable Geolocation value", notes);
    }

    private static LocationResult ReadByValue(SipRequest request, GeolocationValue value, List<string> notes)
    {
        var contentId = value.ContentId();
        if (string.IsNullOrEmpty(contentId))
        {
            return LocationResult.None("cid: URI names no Content-ID", []);
        }

        var part = FindParts(request).FirstOrDefault(p => string.Equals(p.ContentId?.Trim(), contentId, StringComparison.OrdinalIgnoreCase));
        if (part is null)
        {
            return LocationResult.None($"no body part has Content-ID <{contentId}>", []);
        }

        if (part.ContentType is not null && !IsPidf(part.ContentType) && !SdpBody.IsType(part.ContentType, "application/xml"))
        {
            return LocationResult.None($"body part <{contentId}> is {part.ContentType}, not {PidfContentType}", []);
        }

        return PidfLoReader.Read(part.Body, value.Uri, notes);
    }

    /// <summary>The body as parts: a multipart body's parts (nested multiparts opened), or the whole body as one part.</summary>
    private static List<MultipartBody.Part> FindParts(SipRequest request)
    {
        var parts = new List<MultipartBody.Part>();
        var type = request.ContentType;
        if (request.Body.IsEmpty || type is null)
        {
            return parts;
        }

        // A lone body takes its Content-ID from the message header (RFC 2045 §7 applies to the whole entity).
        Collect(new MultipartBody.Part(type, request.Headers["Content-ID"]?.Trim().Trim('<', '>'), request.Body), parts, 0);
        return parts;
    }

    private static void Collect(MultipartBody.Part part, List<MultipartBody.Part> parts, int depth)
    {
        if (part.ContentType is { } type && type.TrimStart().StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && depth < MaxNestedMultipart)
        {
            foreach (var inner in MultipartBody.Parse(type, part.Body))
            {
                Collect(inner, parts, depth + 1);
            }

            return;
        }

        parts.Add(part);
    }

    private static bool? ReadRouting(SipHeaders headers, List<string> notes)
    {
        var value = headers.Get(HeaderId.GeolocationRouting)?.Trim();
        if (value is null)
        {
            return null;
        }

        var semicolon = value.IndexOf(';');
        var token = (semicolon < 0 ? value : value[..semicolon]).Trim();
        if (token.Equals("yes", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (token.Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        notes.Add("Geolocation-Routing value not understood");
        return null;
    }

    private static bool IsPidf(string? contentType) => SdpBody.IsType(contentType, PidfContentType);
}
