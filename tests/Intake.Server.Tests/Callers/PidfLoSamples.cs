namespace Intake.Server.Tests.Callers;

/// <summary>PIDF-LO documents as a mobile network's location server would send them.</summary>
internal static class PidfLoSamples
{
    private const string Head =
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <presence xmlns="urn:ietf:params:xml:ns:pidf"
                  xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"
                  xmlns:gml="http://www.opengis.net/gml"
                  xmlns:gs="http://www.opengis.net/pidflo/1.0"
                  xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"
                  xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
                  entity="pres:caller@127.0.0.1">
          <dm:device id="handset-1">
            <gp:geopriv>
              <gp:location-info>
        """;

    private const string Tail =
        """
              </gp:location-info>
              <gp:usage-rules/>
              <gp:method>{METHOD}</gp:method>
            </gp:geopriv>
            <dm:deviceID>mac:00-1a-2b-3c-4d-5e</dm:deviceID>
            <dm:timestamp>2025-03-14T10:15:00Z</dm:timestamp>
          </dm:device>
        </presence>
        """;

    public const string PointCasablanca =
        """
        <gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>33.5731 -7.5898</gml:pos></gml:Point>
        """;

    public const string CircleRabat =
        """
        <gs:Circle srsName="urn:ogc:def:crs:EPSG::4326">
          <gml:pos>34.020882 -6.841650</gml:pos>
          <gs:radius uom="urn:ogc:def:uom:EPSG::9001">850</gs:radius>
        </gs:Circle>
        """;

    public const string CivicCasablanca =
        """
        <ca:civicAddress xml:lang="fr">
          <ca:country>MA</ca:country>
          <ca:A1>Casablanca-Settat</ca:A1>
          <ca:A2>Casablanca</ca:A2>
          <ca:A3>Anfa</ca:A3>
          <ca:PRD></ca:PRD>
          <ca:RD>Zerktouni</ca:RD>
          <ca:STS>Boulevard</ca:STS>
          <ca:HNO>120</ca:HNO>
          <ca:LMK>Twin Center</ca:LMK>
          <ca:FLR>4</ca:FLR>
          <ca:NAM>Cabinet Benali</ca:NAM>
          <ca:PC>20250</ca:PC>
        </ca:civicAddress>
        """;

    /// <summary>A full PIDF-LO with the given location-info content and method.</summary>
    public static string Document(string locationInfo, string method = "GPS") =>
        Head + "\n" + locationInfo + "\n" + Tail.Replace("{METHOD}", method, StringComparison.Ordinal);
}
