using System.Text;
using System.Xml;
using System.Xml.Linq;
using Intake.Contracts.V1;

namespace Intake.Server.Callers;

/// <summary>
/// Reads a PIDF-LO document (RFC 4119, civic RFC 5139, shapes RFC 5491) into a <see cref="Location"/>.
/// The document comes from the caller's network and is treated as hostile: no DTD, no external resolution,
/// bounded size and depth, and every fault ends in a reason rather than an exception.
/// </summary>
public static class PidfLoReader
{
    public const int MaxBytes = 64 * 1024;

    private const int MaxDepth = 32;
    private const int MaxCivicElements = 64;
    private const int MaxCivicValueLength = 256;
    private const int MaxMethodLength = 64;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    /// <summary>The location in <paramref name="document"/>, conveyed by value under <paramref name="referenceUri"/> (a cid: URI or empty).</summary>
    public static LocationResult Read(ReadOnlyMemory<byte> document, string referenceUri, IReadOnlyList<string>? earlierNotes = null)
    {
        ArgumentNullException.ThrowIfNull(referenceUri);
        var notes = new List<string>(earlierNotes ?? []);
        if (document.IsEmpty)
        {
            return LocationResult.None("PIDF-LO body part is empty", notes);
        }

        if (document.Length > MaxBytes)
        {
            return LocationResult.None($"PIDF-LO of {document.Length} bytes exceeds the {MaxBytes}-byte limit", notes);
        }

        // The reader refuses a DTD anyway; finding it first gives dispatch a plain reason instead of a parser message.
        if (ContainsAsciiIgnoreCase(document.Span, "<!DOCTYPE"u8))
        {
            return LocationResult.None("PIDF-LO carries a DTD, which is refused", notes);
        }

        var bytes = document.ToArray();
        XDocument xml;
        try
        {
            if (DepthExceeded(bytes))
            {
                return LocationResult.None($"PIDF-LO nests deeper than {MaxDepth} elements", notes);
            }

            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), Settings);
            xml = XDocument.Load(reader);
        }
        catch (XmlException ex)
        {
            return LocationResult.None($"malformed PIDF-LO: {ex.Message}", notes);
        }

        var root = xml.Root!;
        if (root.Name != PidfLoNamespaces.Pidf + "presence")
        {
            return LocationResult.None($"PIDF-LO root element is {root.Name.LocalName}, not a PIDF presence", notes);
        }

        var location = new Location { Conveyance = LocationResult.ByValue, ReferenceUri = referenceUri };
        var shapeError = ReadGeodetic(root, location, notes);
        ReadCivic(root, location, notes);
        if (root.Descendants(PidfLoNamespaces.Geopriv + "method").FirstOrDefault() is { } method)
        {
            location.Method = Bounded(Collapse(method.Value), MaxMethodLength);
        }

        if (!location.HasPoint && location.Civic.Count == 0)
        {
            return LocationResult.None(shapeError ?? "PIDF-LO carries no geodetic or civic location", notes);
        }

        if (shapeError is not null)
        {
            notes.Add($"geodetic location dropped: {shapeError}");
        }

        location.PidfLo = Decode(bytes);
        return LocationResult.Found(location, notes);
    }

    /// <summary>Takes the first usable shape; returns the reason the shapes were unusable, if they all were.</summary>
    private static string? ReadGeodetic(XElement root, Location location, List<string> notes)
    {
        string? firstError = null;
        var ignored = 0;
        foreach (var shape in root.Descendants().Where(GeodeticShapeReader.IsShape))
        {
            if (location.HasPoint)
            {
                ignored++;
                continue;
            }

            if (GeodeticShapeReader.Read(shape, notes, out var error) is { } fix)
            {
                location.HasPoint = true;
                location.Latitude = fix.Latitude;
                location.Longitude = fix.Longitude;
                location.RadiusMeters = fix.RadiusMeters;
            }
            else
            {
                firstError ??= error;
            }
        }

        if (ignored > 0)
        {
            notes.Add($"{ignored} further geodetic shape(s) ignored");
        }

        return location.HasPoint ? null : firstError;
    }

    private static void ReadCivic(XElement root, Location location, List<string> notes)
    {
        var addresses = root.Descendants(PidfLoNamespaces.Civic + "civicAddress").ToList();
        if (addresses.Count == 0)
        {
            return;
        }

        if (addresses.Count > 1)
        {
            notes.Add($"{addresses.Count - 1} further civic address(es) ignored");
        }

        var skipped = 0;
        foreach (var element in addresses[0].Elements())
        {
            // Extension elements of other namespaces, and anything structured, have no place in a flat map.
            if (element.Name.Namespace != PidfLoNamespaces.Civic || element.HasElements || location.Civic.Count == MaxCivicElements)
            {
                skipped++;
                continue;
            }

            var value = Collapse(element.Value);
            // Repeated elements are the same field in other languages (RFC 5139 §3.3); the first one stands.
            if (value.Length > 0 && !location.Civic.ContainsKey(element.Name.LocalName))
            {
                location.Civic[element.Name.LocalName] = Bounded(value, MaxCivicValueLength);
            }
        }

        if (skipped > 0)
        {
            notes.Add($"{skipped} civic element(s) ignored (extension, structured or over the limit)");
        }
    }

    private static bool DepthExceeded(byte[] bytes)
    {
        using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), Settings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth >= MaxDepth)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAsciiIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle)
    {
        for (var start = haystack.IndexOf(needle[0]); start >= 0 && start + needle.Length <= haystack.Length;)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(haystack.Slice(start, needle.Length), needle))
            {
                return true;
            }

            var next = haystack[(start + 1)..].IndexOf(needle[0]);
            start = next < 0 ? -1 : start + 1 + next;
        }

        return false;
    }

    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Bounded(string text, int max) => text.Length <= max ? text : text[..max];
}
