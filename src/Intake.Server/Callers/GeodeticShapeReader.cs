using System.Globalization;
using System.Xml.Linq;

namespace Intake.Server.Callers;

/// <summary>
/// Reduces an RFC 5491 geodetic shape to a <see cref="GeodeticFix"/>. Point and Circle (and Sphere) map exactly;
/// the other shapes are approximated by their centre or vertex centroid with radius 0, and a note says so.
/// </summary>
public static class GeodeticShapeReader
{
    private const string MetresUom = "urn:ogc:def:uom:EPSG::9001";

    // Half the Earth's circumference: any larger uncertainty says nothing about where the caller is.
    private const double MaxRadiusMeters = 20_037_509;

    private const int MaxVertices = 1024;

    private static readonly XNamespace Gml = PidfLoNamespaces.Gml;
    private static readonly XNamespace Gs = PidfLoNamespaces.GeoShape;

    public static bool IsShape(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var name = element.Name;
        if (name.Namespace == Gml)
        {
            // A Polygon inside a Prism's base is part of the Prism, not a shape of its own.
            return name.LocalName == "Point" || (name.LocalName == "Polygon" && element.Parent?.Name != Gs + "base");
        }

        return name.Namespace == Gs && name.LocalName is "Circle" or "Ellipse" or "ArcBand" or "Sphere" or "Ellipsoid" or "Prism";
    }

    /// <summary>The fix the shape describes, or null with the reason it could not be used.</summary>
    public static GeodeticFix? Read(XElement shape, List<string> notes, out string? error)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(notes);
        if (!TryReadDimension(shape, notes, out var dimension, out error))
        {
            return null;
        }

        var kind = shape.Name.LocalName;
        switch (kind)
        {
            case "Point":
                return ReadCentre(shape, out error);
            case "Circle" or "Sphere":
                return ReadCircle(shape, notes, out error);
            case "Ellipse" or "Ellipsoid":
                var ellipse = ReadCentre(shape, out error);
                if (ellipse is not null)
                {
                    notes.Add($"{kind} reduced to its centre (semi-major axis {Text(shape.Element(Gs + "semiMajorAxis"))} m), radius 0");
                }

                return ellipse;
            case "ArcBand":
                var arc = ReadCentre(shape, out error);
                if (arc is not null)
                {
                    notes.Add($"ArcBand reduced to its centre (outer radius {Text(shape.Element(Gs + "outerRadius"))} m), radius 0");
                }

                return arc;
            case "Polygon":
                return ReadPolygon(shape, dimension, notes, out error);
            default:
                var polygon = shape.Element(Gs + "base")?.Element(Gml + "Polygon");
                if (polygon is null)
                {
                    error = "Prism has no base polygon";
                    return null;
                }

                return ReadPolygon(polygon, dimension, notes, out error);
        }
    }

    // RFC 5491 §5 allows two reference systems: EPSG 4326 (lat lon) and EPSG 4979 (lat lon altitude).
    private static bool TryReadDimension(XElement shape, List<string> notes, out int dimension, out string? error)
    {
        error = null;
        dimension = 2;
        var srs = shape.Attribute("srsName")?.Value.Trim();
        if (string.IsNullOrEmpty(srs))
        {
            notes.Add($"{shape.Name.LocalName} has no srsName; WGS 84 (EPSG 4326) assumed");
            return true;
        }

        if (srs.Equals("urn:ogc:def:crs:EPSG::4326", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (srs.Equals("urn:ogc:def:crs:EPSG::4979", StringComparison.OrdinalIgnoreCase))
        {
            dimension = 3;
            return true;
        }

        error = $"{shape.Name.LocalName} uses an unsupported srsName";
        return false;
    }

    private static GeodeticFix? ReadCentre(XElement shape, out string? error)
    {
        var pos = shape.Element(Gml + "pos");
        if (pos is null)
        {
            error = $"{shape.Name.LocalName} has no gml:pos";
            return null;
        }

        return TryReadPosition(pos.Value, out var latitude, out var longitude, out error)
            ? new GeodeticFix(latitude, longitude, 0)
            : null;
    }

    private static GeodeticFix? ReadCircle(XElement shape, List<string> notes, out string? error)
    {
        var centre = ReadCentre(shape, out error);
        if (centre is not { } fix)
        {
            return null;
        }

        var radius = shape.Element(Gs + "radius");
        if (radius is null)
        {
            error = $"{shape.Name.LocalName} has no gs:radius";
            return null;
        }

        if (!TryParseNumber(radius.Value, out var metres) || metres < 0 || metres > MaxRadiusMeters)
        {
            error = $"{shape.Name.LocalName} radius is not a distance between 0 and {MaxRadiusMeters} m";
            return null;
        }

        var uom = radius.Attribute("uom")?.Value.Trim();
        if (!string.Equals(uom, MetresUom, StringComparison.OrdinalIgnoreCase))
        {
            notes.Add($"{shape.Name.LocalName} radius unit is not metres (EPSG 9001); radius ignored");
            return fix;
        }

        return fix with { RadiusMeters = metres };
    }

    private static GeodeticFix? ReadPolygon(XElement polygon, int dimension, List<string> notes, out string? error)
    {
        error = null;
        var ring = polygon.Element(Gml + "exterior")?.Element(Gml + "LinearRing");
        if (ring is null)
        {
            error = "Polygon has no gml:exterior/gml:LinearRing";
            return null;
        }

        var coordinates = new List<(double Latitude, double Longitude)>();
        if (ring.Element(Gml + "posList") is { } posList)
        {
            var values = posList.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            dimension = posList.Attribute("srsDimension")?.Value.Trim() switch
            {
                "2" => 2,
                "3" => 3,
                _ => dimension,
            };

            if (values.Length % dimension != 0 || values.Length / dimension > MaxVertices)
            {
                error = "Polygon posList does not hold whole positions";
                return null;
            }

            for (var i = 0; i < values.Length; i += dimension)
            {
                if (!TryReadPosition(values[i] + " " + values[i + 1], out var latitude, out var longitude, out error))
                {
                    return null;
                }

                coordinates.Add((latitude, longitude));
            }
        }
        else
        {
            foreach (var pos in ring.Elements(Gml + "pos").Take(MaxVertices))
            {
                if (!TryReadPosition(pos.Value, out var latitude, out var longitude, out error))
                {
                    return null;
                }

                coordinates.Add((latitude, longitude));
            }
        }

        // A closed ring repeats its first vertex; counted twice it would pull the centroid towards it.
        if (coordinates.Count > 1 && coordinates[0] == coordinates[^1])
        {
            coordinates.RemoveAt(coordinates.Count - 1);
        }

        if (coordinates.Count < 3)
        {
            error = "Polygon has fewer than 3 vertices";
            return null;
        }

        notes.Add($"{polygon.Name.LocalName} of {coordinates.Count} vertices reduced to its vertex centroid, radius 0");
        return Centroid(coordinates);
    }

    private static GeodeticFix Centroid(List<(double Latitude, double Longitude)> coordinates)
    {
        // Vertices on both sides of the antimeridian are averaged on a 0..360 longitude scale.
        var spansAntimeridian = coordinates.Max(c => c.Longitude) - coordinates.Min(c => c.Longitude) > 180;
        double latitude = 0;
        double longitude = 0;
        foreach (var (lat, lon) in coordinates)
        {
            latitude += lat;
            longitude += spansAntimeridian && lon < 0 ? lon + 360 : lon;
        }

        latitude /= coordinates.Count;
        longitude /= coordinates.Count;
        if (longitude > 180)
        {
            longitude -= 360;
        }

        return new GeodeticFix(latitude, longitude, 0);
    }

    /// <summary>"lat lon" or "lat lon alt" in degrees; the altitude is not kept.</summary>
    public static bool TryReadPosition(string text, out double latitude, out double longitude, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        latitude = 0;
        longitude = 0;
        error = null;
        var values = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (values.Length is not (2 or 3) || !values.All(v => TryParseNumber(v, out _)))
        {
            error = "gml:pos is not \"latitude longitude\" in decimal degrees";
            return false;
        }

        TryParseNumber(values[0], out latitude);
        TryParseNumber(values[1], out longitude);
        if (latitude is < -90 or > 90 || longitude is < -180 or > 180)
        {
            error = "position is out of range (latitude ±90, longitude ±180)";
            return false;
        }

        return true;
    }

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text.AsSpan().Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    private static string Text(XElement? element)
    {
        var value = element?.Value.Trim() ?? "?";
        return value.Length <= 32 ? value : value[..32];
    }
}
