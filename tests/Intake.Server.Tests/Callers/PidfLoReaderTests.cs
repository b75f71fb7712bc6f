using System.Text;
using Intake.Server.Callers;

namespace Intake.Server.Tests.Callers;

public class PidfLoReaderTests
{
    private const string Cid = "cid:caller-loc@127.0.0.1";

    [Fact]
    public void Read_Point_HasPointWithZeroRadius()
    {
        var result = Read(PidfLoSamples.Document(PidfLoSamples.PointCasablanca));

        var location = result.Location!;
        Assert.True(location.HasPoint);
        Assert.Equal(33.5731, location.Latitude, 6);
        Assert.Equal(-7.5898, location.Longitude, 6);
        Assert.Equal(0, location.RadiusMeters);
        Assert.Empty(location.Civic);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Read_Circle_HasCentreAndRadius()
    {
        var location = Read(PidfLoSamples.Document(PidfLoSamples.CircleRabat, "Cell")).Location!;

        Assert.Equal(34.020882, location.Latitude, 6);
        Assert.Equal(-6.84165, location.Longitude, 6);
        Assert.Equal(850, location.RadiusMeters);
        Assert.Equal("Cell", location.Method);
    }

    [Fact]
    public void Read_MoroccanCivicAddress_FillsCivicMapByLocalName()
    {
        var location = Read(PidfLoSamples.Document(PidfLoSamples.CivicCasablanca, "Manual")).Location!;

        Assert.False(location.HasPoint);
        Assert.Equal("MA", location.Civic["country"]);
        Assert.Equal("Casablanca-Settat", location.Civic["A1"]);
        Assert.Equal("Casablanca", location.Civic["A2"]);
        Assert.Equal("Anfa", location.Civic["A3"]);
        Assert.Equal("Zerktouni", location.Civic["RD"]);
        Assert.Equal("Boulevard", location.Civic["STS"]);
        Assert.Equal("120", location.Civic["HNO"]);
        Assert.Equal("Twin Center", location.Civic["LMK"]);
        Assert.Equal("4", location.Civic["FLR"]);
        Assert.Equal("Cabinet Benali", location.Civic["NAM"]);
        Assert.Equal("20250", location.Civic["PC"]);
        Assert.False(location.Civic.ContainsKey("PRD"));
        Assert.Equal("Manual", location.Method);
    }

    [Fact]
    public void Read_GeodeticAndCivic_KeepsBoth()
    {
        var location = Read(PidfLoSamples.Document(PidfLoSamples.CircleRabat + PidfLoSamples.CivicCasablanca)).Location!;

        Assert.True(location.HasPoint);
        Assert.Equal(850, location.RadiusMeters);
        Assert.Equal("MA", location.Civic["country"]);
        Assert.Equal(LocationResult.ByValue, location.Conveyance);
        Assert.Equal(Cid, location.ReferenceUri);
    }

    [Fact]
    public void Read_CivicRepeatedInTwoLanguagesAndExtension_FirstWinsExtensionSkipped()
    {
        const string civic =
            """
            <ca:civicAddress xmlns:x="urn:example:ext">
              <ca:country>MA</ca:country>
              <ca:A1 xml:lang="fr">Fès-Meknès</ca:A1>
              <ca:A1 xml:lang="ar">فاس مكناس</ca:A1>
              <ca:LOC>  Bâtiment   B,
                 porte 3 </ca:LOC>
              <x:gate>north</x:gate>
            </ca:civicAddress>
            """;

        var result = Read(PidfLoSamples.Document(civic));

        Assert.Equal("Fès-Meknès", result.Location!.Civic["A1"]);
        Assert.Equal("Bâtiment B, porte 3", result.Location.Civic["LOC"]);
        Assert.False(result.Location.Civic.ContainsKey("gate"));
        Assert.Contains(result.Notes, n => n.StartsWith("1 civic element(s) ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Ellipse_CentreWithZeroRadiusAndNote()
    {
        const string ellipse =
            """
            <gs:Ellipse srsName="urn:ogc:def:crs:EPSG::4326">
              <gml:pos>31.6295 -7.9811</gml:pos>
              <gs:semiMajorAxis uom="urn:ogc:def:uom:EPSG::9001">1200</gs:semiMajorAxis>
              <gs:semiMinorAxis uom="urn:ogc:def:uom:EPSG::9001">400</gs:semiMinorAxis>
              <gs:orientation uom="urn:ogc:def:uom:EPSG::9102">40</gs:orientation>
            </gs:Ellipse>
            """;

        var result = Read(PidfLoSamples.Document(ellipse));

        Assert.Equal(31.6295, result.Location!.Latitude, 6);
        Assert.Equal(0, result.Location.RadiusMeters);
        Assert.Contains("Ellipse reduced to its centre (semi-major axis 1200 m), radius 0", result.Notes);
    }

    [Fact]
    public void Read_PolygonPosList_VertexCentroidWithNote()
    {
        const string polygon =
            """
            <gml:Polygon srsName="urn:ogc:def:crs:EPSG::4326">
              <gml:exterior><gml:LinearRing>
                <gml:posList>33.0 -7.0 33.0 -8.0 34.0 -8.0 34.0 -7.0 33.0 -7.0</gml:posList>
              </gml:LinearRing></gml:exterior>
            </gml:Polygon>
            """;

        var result = Read(PidfLoSamples.Document(polygon));

        Assert.Equal(33.5, result.Location!.Latitude, 9);
        Assert.Equal(-7.5, result.Location.Longitude, 9);
        Assert.Contains("Polygon of 4 vertices reduced to its vertex centroid, radius 0", result.Notes);
    }

    [Fact]
    public void Read_PolygonAcrossAntimeridian_CentroidStaysNearIt()
    {
        const string polygon =
            """
            <gml:Polygon srsName="urn:ogc:def:crs:EPSG::4326">
              <gml:exterior><gml:LinearRing>
                <gml:pos>-17.0 179.0</gml:pos><gml:pos>-17.0 -179.0</gml:pos><gml:pos>-18.0 -179.0</gml:pos><gml:pos>-18.0 179.0</gml:pos>
              </gml:LinearRing></gml:exterior>
            </gml:Polygon>
            """;

        var location = Read(PidfLoSamples.Document(polygon)).Location!;

        Assert.Equal(-17.5, location.Latitude, 9);
        Assert.Equal(180, Math.Abs(location.Longitude), 9);
    }

    [Fact]
    public void Read_Prism3DPosList_BasePolygonCentroid()
    {
        const string prism =
            """
            <gs:Prism srsName="urn:ogc:def:crs:EPSG::4979">
              <gs:base><gml:Polygon><gml:exterior><gml:LinearRing>
                <gml:posList>33.0 -7.0 10 33.0 -7.2 10 33.2 -7.2 10 33.2 -7.0 10 33.0 -7.0 10</gml:posList>
              </gml:LinearRing></gml:exterior></gml:Polygon></gs:base>
              <gs:height uom="urn:ogc:def:uom:EPSG::9001">3</gs:height>
            </gs:Prism>
            """;

        var result = Read(PidfLoSamples.Document(prism));

        Assert.Equal(33.1, result.Location!.Latitude, 9);
        Assert.Equal(-7.1, result.Location.Longitude, 9);
        Assert.DoesNotContain(result.Notes, n => n.Contains("further", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_Sphere3D_UsesLatLonAndRadius()
    {
        const string sphere =
            """
            <gs:Sphere srsName="urn:ogc:def:crs:EPSG::4979">
              <gml:pos>35.7595 -5.8340 42.5</gml:pos>
              <gs:radius uom="urn:ogc:def:uom:EPSG::9001">15</gs:radius>
            </gs:Sphere>
            """;

        var location = Read(PidfLoSamples.Document(sphere)).Location!;

        Assert.Equal(35.7595, location.Latitude, 6);
        Assert.Equal(-5.834, location.Longitude, 6);
        Assert.Equal(15, location.RadiusMeters);
    }

    [Fact]
    public void Read_CircleRadiusInOtherUnit_KeepsCentreIgnoresRadius()
    {
        const string circle =
            """
            <gs:Circle srsName="urn:ogc:def:crs:EPSG::4326">
              <gml:pos>34.0 -6.8</gml:pos><gs:radius uom="urn:ogc:def:uom:EPSG::9093">500</gs:radius>
            </gs:Circle>
            """;

        var result = Read(PidfLoSamples.Document(circle));

        Assert.True(result.Location!.HasPoint);
        Assert.Equal(0, result.Location.RadiusMeters);
        Assert.Contains("Circle radius unit is not metres (EPSG 9001); radius ignored", result.Notes);
    }

    [Theory]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>95.0 -7.5</gml:pos></gml:Point>", "position is out of range (latitude ±90, longitude ±180)")]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>33.5 -190</gml:pos></gml:Point>", "position is out of range (latitude ±90, longitude ±180)")]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>33,5 -7,5</gml:pos></gml:Point>", "gml:pos is not \"latitude longitude\" in decimal degrees")]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>NaN 7</gml:pos></gml:Point>", "gml:pos is not \"latitude longitude\" in decimal degrees")]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>33.5</gml:pos></gml:Point>", "gml:pos is not \"latitude longitude\" in decimal degrees")]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::3857\"><gml:pos>3700000 -845000</gml:pos></gml:Point>", "Point uses an unsupported srsName")]
    [InlineData("<gs:Circle srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>34 -6.8</gml:pos><gs:radius uom=\"urn:ogc:def:uom:EPSG::9001\">-5</gs:radius></gs:Circle>", "Circle radius is not a distance between 0 and 20037509 m")]
    [InlineData("<gs:Circle srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>34 -6.8</gml:pos></gs:Circle>", "Circle has no gs:radius")]
    [InlineData("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"/>", "Point has no gml:pos")]
    public void Read_BadGeodeticOnly_NoLocationWithReason(string shape, string reason)
    {
        var result = Read(PidfLoSamples.Document(shape));

        Assert.Null(result.Location);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Read_BadGeodeticWithCivic_KeepsCivicAndNotesTheDrop()
    {
        var shape = "<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>133.5 -7.5</gml:pos></gml:Point>";

        var result = Read(PidfLoSamples.Document(shape + PidfLoSamples.CivicCasablanca));

        Assert.False(result.Location!.HasPoint);
        Assert.Equal("MA", result.Location.Civic["country"]);
        Assert.Contains("geodetic location dropped: position is out of range (latitude ±90, longitude ±180)", result.Notes);
    }

    [Fact]
    public void Read_TwoShapes_TakesFirstAndNotesTheOther()
    {
        var result = Read(PidfLoSamples.Document(PidfLoSamples.PointCasablanca + PidfLoSamples.CircleRabat));

        Assert.Equal(33.5731, result.Location!.Latitude, 6);
        Assert.Contains("1 further geodetic shape(s) ignored", result.Notes);
    }

    [Fact]
    public void Read_MalformedXml_NoLocationWithReason()
    {
        var result = Read("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"><gml:Point>");

        Assert.Null(result.Location);
        Assert.StartsWith("malformed PIDF-LO:", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExternalEntityAttempt_RefusedAndFileNotRead()
    {
        var secret = Path.Combine(Path.GetTempPath(), $"intake-xxe-{Guid.NewGuid():N}.txt");
        File.WriteAllText(secret, "TOP-SECRET-MARKER");
        try
        {
            var xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE presence [ <!ENTITY leak SYSTEM "file://{secret}"> ]>
                <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10">
                  <tuple id="t"><status><gp:geopriv><gp:location-info/><gp:method>&leak;</gp:method></gp:geopriv></status></tuple>
                </presence>
                """;

            var result = Read(xml);

            Assert.Null(result.Location);
            Assert.Equal("PIDF-LO carries a DTD, which is refused", result.Reason);
            Assert.DoesNotContain(result.Notes, n => n.Contains("TOP-SECRET", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void Read_Utf16DocumentWithDtd_RefusedByTheXmlReader()
    {
        // UTF-16 hides "<!DOCTYPE" from the byte scan; the reader settings must refuse it on their own.
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
            + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\">&b;</presence>";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(xml)).ToArray();

        var result = PidfLoReader.Read(bytes, Cid);

        Assert.Null(result.Location);
        Assert.StartsWith("malformed PIDF-LO:", result.Reason, StringComparison.Ordinal);
        Assert.Contains("DTD", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OversizeDocument_RefusedBeforeParsing()
    {
        var bytes = new byte[PidfLoReader.MaxBytes + 1];
        bytes.AsSpan().Fill((byte)'<');

        var result = PidfLoReader.Read(bytes, Cid);

        Assert.Null(result.Location);
        Assert.Equal("PIDF-LO of 65537 bytes exceeds the 65536-byte limit", result.Reason);
    }

    [Fact]
    public void Read_DeepNesting_Refused()
    {
        var xml = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\">" + string.Concat(Enumerable.Repeat("<a>", 500)) + string.Concat(Enumerable.Repeat("</a>", 500)) + "</presence>";

        var result = Read(xml);

        Assert.Null(result.Location);
        Assert.Equal("PIDF-LO nests deeper than 32 elements", result.Reason);
    }

    [Fact]
    public void Read_NotPidfRoot_NoLocationWithReason()
    {
        var result = Read("<location xmlns=\"urn:example\"><pos>1 2</pos></location>");

        Assert.Null(result.Location);
        Assert.Equal("PIDF-LO root element is location, not a PIDF presence", result.Reason);
    }

    [Fact]
    public void Read_PresenceWithoutLocation_NoLocationWithReason()
    {
        var result = Read(PidfLoSamples.Document(string.Empty));

        Assert.Null(result.Location);
        Assert.Equal("PIDF-LO carries no geodetic or civic location", result.Reason);
    }

    [Fact]
    public void Read_Empty_NoLocationWithReason()
    {
        var result = PidfLoReader.Read(ReadOnlyMemory<byte>.Empty, Cid);

        Assert.Equal("PIDF-LO body part is empty", result.Reason);
    }

    [Fact]
    public void Read_PointWithoutSrsName_AssumesWgs84WithNote()
    {
        var result = Read(PidfLoSamples.Document("<gml:Point><gml:pos>33.5731 -7.5898</gml:pos></gml:Point>"));

        Assert.True(result.Location!.HasPoint);
        Assert.Contains("Point has no srsName; WGS 84 (EPSG 4326) assumed", result.Notes);
    }

    private static LocationResult Read(string xml) => PidfLoReader.Read(Encoding.UTF8.GetBytes(xml), Cid);
}
