using System.Xml.Linq;

namespace Intake.Server.Callers;

/// <summary>XML namespaces of PIDF (RFC 3863), GEOPRIV (RFC 4119), civic (RFC 5139), GML and GeoShape (RFC 5491).</summary>
public static class PidfLoNamespaces
{
    public static readonly XNamespace Pidf = "urn:ietf:params:xml:ns:pidf";
    public static readonly XNamespace Geopriv = "urn:ietf:params:xml:ns:pidf:geopriv10";
    public static readonly XNamespace Civic = "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr";
    public static readonly XNamespace Gml = "http://www.opengis.net/gml";
    public static readonly XNamespace GeoShape = "http://www.opengis.net/pidflo/1.0";
}
