using Intake.Server.Callers;

namespace Intake.Server.Tests.Callers;

public class LocationParserTests
{
    [Fact]
    public void Parse_ByValueMultipartWithSdpAndPidfLo_ReadsPointCivicAndMethod()
    {
        var pidf = PidfLoSamples.Document(PidfLoSamples.PointCasablanca + PidfLoSamples.CivicCasablanca, "GPS");
        var request = TestInvite.WithPidfLo(pidf);

        var result = LocationParser.Parse(request);

        var location = Assert.IsType<Intake.Contracts.V1.Location>(result.Location);
        Assert.Null(result.Reason);
        Assert.Equal(LocationResult.ByValue, location.Conveyance);
        Assert.Equal("cid:caller-loc@127.0.0.1", location.ReferenceUri);
        Assert.True(location.HasPoint);
        Assert.Equal(33.5731, location.Latitude, 6);
        Assert.Equal(-7.5898, location.Longitude, 6);
        Assert.Equal(0, location.RadiusMeters);
        Assert.Equal("MA", location.Civic["country"]);
        Assert.Equal("Zerktouni", location.Civic["RD"]);
        Assert.Equal("GPS", location.Method);
        Assert.Equal(pidf, location.PidfLo);
        Assert.False(result.RoutingAllowed);
        Assert.Single(result.Values);
    }

    [Fact]
    public void Parse_ByReferenceHttps_ReportsReferenceOnly()
    {
        var request = TestInvite.Create(
            ["Geolocation: <https://lis.127.0.0.1/loc/7f3a9c>;inserted-by=\"lis.127.0.0.1\"", "Geolocation-Routing: yes"]);

        var result = LocationParser.Parse(request);

        var location = Assert.IsType<Intake.Contracts.V1.Location>(result.Location);
        Assert.Equal(LocationResult.ByReference, location.Conveyance);
        Assert.Equal("https://lis.127.0.0.1/loc/7f3a9c", location.ReferenceUri);
        Assert.False(location.HasPoint);
        Assert.Empty(location.PidfLo);
        Assert.True(result.RoutingAllowed);
        Assert.Equal("lis.127.0.0.1", result.Values[0].InsertedBy);
    }

    [Fact]
    public void Parse_ReferenceListedBeforeCid_PrefersByValue()
    {
        var pidf = PidfLoSamples.Document(PidfLoSamples.CircleRabat);
        var request = TestInvite.WithPidfLo(pidf, headers: ["Geolocation: <sips:loc@lis.127.0.0.1>, <cid:caller-loc@127.0.0.1>"]);

        var result = LocationParser.Parse(request);

        Assert.Equal(LocationResult.ByValue, result.Location!.Conveyance);
        Assert.Equal(850, result.Location.RadiusMeters);
        Assert.Equal(2, result.Values.Count);
    }

    [Fact]
    public void Parse_CidWithoutMatchingPart_FallsBackToReference()
    {
        var pidf = PidfLoSamples.Document(PidfLoSamples.PointCasablanca);
        var request = TestInvite.WithPidfLo(pidf, headers: ["Geolocation: <cid:other@127.0.0.1>", "Geolocation: <sip:loc@lis.127.0.0.1>"]);

        var result = LocationParser.Parse(request);

        Assert.Equal(LocationResult.ByReference, result.Location!.Conveyance);
        Assert.Contains(result.Notes, n => n.Contains("no body part has Content-ID <other@127.0.0.1>", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_CidWithoutMatchingPartAlone_NoLocationWithReason()
    {
        var request = TestInvite.WithPidfLo(PidfLoSamples.Document(PidfLoSamples.PointCasablanca), headers: ["Geolocation: <cid:missing@127.0.0.1>"]);

        var result = LocationParser.Parse(request);

        Assert.Null(result.Location);
        Assert.Equal("no body part has Content-ID <missing@127.0.0.1>", result.Reason);
    }

    [Fact]
    public void Parse_PercentEncodedCid_MatchesDecodedContentId()
    {
        var pidf = PidfLoSamples.Document(PidfLoSamples.PointCasablanca);
        var request = TestInvite.WithPidfLo(pidf, contentId: "loc 1/a@127.0.0.1", headers: ["Geolocation: <cid:loc%201%2Fa@127.0.0.1>"]);

        var result = LocationParser.Parse(request);

        Assert.True(result.Location!.HasPoint);
    }

    [Fact]
    public void Parse_LonePidfBodyWithMessageContentId_ReadsIt()
    {
        var pidf = PidfLoSamples.Document(PidfLoSamples.CivicCasablanca);
        var request = TestInvite.Create(["Geolocation: <cid:solo@127.0.0.1>", "Content-ID: <solo@127.0.0.1>"], "application/pidf+xml", pidf);

        var result = LocationParser.Parse(request);

        Assert.Equal("Casablanca-Settat", result.Location!.Civic["A1"]);
        Assert.False(result.Location.HasPoint);
    }

    [Fact]
    public void Parse_PidfPartWithoutGeolocationHeader_ReadsItWithNote()
    {
        var request = TestInvite.WithPidfLo(PidfLoSamples.Document(PidfLoSamples.PointCasablanca), headers: []);

        var result = LocationParser.Parse(request);

        Assert.Equal(LocationResult.ByValue, result.Location!.Conveyance);
        Assert.Empty(result.Location.ReferenceUri);
        Assert.Contains("PIDF-LO body without a Geolocation header", result.Notes);
    }

    [Fact]
    public void Parse_NoGeolocation_NoLocationWithReason()
    {
        var result = LocationParser.Parse(TestInvite.Create([]));

        Assert.Null(result.Location);
        Assert.Equal("no Geolocation header", result.Reason);
        Assert.Null(result.RoutingAllowed);
    }

    [Fact]
    public void Parse_FileSchemeReference_IsRefused()
    {
        var result = LocationParser.Parse(TestInvite.Create(["Geolocation: <file:///etc/passwd>"]));

        Assert.Null(result.Location);
        Assert.Equal("unsupported Geolocation URI scheme \"file\"", result.Reason);
    }

    [Fact]
    public void Parse_MalformedGeolocationValue_NoLocationWithReason()
    {
        var result = LocationParser.Parse(TestInvite.Create(["Geolocation: https://lis.127.0.0.1/no-brackets"]));

        Assert.Null(result.Location);
        Assert.Equal("Geolocation value is not a URI in angle brackets", result.Reason);
    }

    [Fact]
    public void Parse_CidPointingAtSdpPart_NoLocationWithReason()
    {
        var body = TestInvite.Multipart(("application/sdp", "sdp@127.0.0.1", TestInvite.Sdp));
        var request = TestInvite.Create(["Geolocation: <cid:sdp@127.0.0.1>"], $"multipart/mixed;boundary={TestInvite.Boundary}", body);

        var result = LocationParser.Parse(request);

        Assert.Null(result.Location);
        Assert.Equal("body part <sdp@127.0.0.1> is application/sdp, not application/pidf+xml", result.Reason);
    }

    [Fact]
    public void Parse_OversizePidfLoPart_NoLocationWithReason()
    {
        var padding = new string(' ', PidfLoReader.MaxBytes);
        var pidf = PidfLoSamples.Document(PidfLoSamples.PointCasablanca + padding);
        var request = TestInvite.WithPidfLo(pidf);

        var result = LocationParser.Parse(request);

        Assert.Null(result.Location);
        Assert.StartsWith("PIDF-LO of ", result.Reason, StringComparison.Ordinal);
        Assert.EndsWith("exceeds the 65536-byte limit", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedPidfLoPart_NoLocationWithReason()
    {
        var request = TestInvite.WithPidfLo("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"><tuple>");

        var result = LocationParser.Parse(request);

        Assert.Null(result.Location);
        Assert.StartsWith("malformed PIDF-LO:", result.Reason, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.StartsWith("cid:caller-loc@127.0.0.1: malformed PIDF-LO", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NestedMultipartRelated_FindsPidfLo()
    {
        var inner = "--inner-1\r\nContent-Type: application/pidf+xml\r\nContent-ID: <nested@127.0.0.1>\r\n\r\n"
            + PidfLoSamples.Document(PidfLoSamples.PointCasablanca) + "\r\n--inner-1--\r\n";
        var body = TestInvite.Multipart(("application/sdp", null, TestInvite.Sdp), ("multipart/related;boundary=inner-1", null, inner));
        var request = TestInvite.Create(["Geolocation: <cid:nested@127.0.0.1>"], $"multipart/mixed;boundary={TestInvite.Boundary}", body);

        var result = LocationParser.Parse(request);

        Assert.True(result.Location!.HasPoint);
    }
}
