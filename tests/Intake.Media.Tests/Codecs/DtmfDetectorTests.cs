using Intake.Media.Codecs;

namespace Intake.Media.Tests.Codecs;

public sealed class DtmfDetectorTests
{
    private static byte[] Event(byte code, bool end, ushort duration)
    {
        var payload = new byte[4];
        new TelephoneEventPayload(code, end, 10, duration).WriteTo(payload);
        return payload;
    }

    [Fact]
    public void TryDetect_EventWithUpdatesAndThreeEndRetransmissions_ReportsOnce()
    {
        var detector = new DtmfDetector();
        var reports = new List<DtmfEvent>();
        byte[][] packets = [Event(5, false, 160), Event(5, false, 320), Event(5, false, 480), Event(5, true, 640), Event(5, true, 640), Event(5, true, 640)];

        foreach (var packet in packets)
        {
            if (detector.TryDetect(7, 48000, packet, out var dtmf))
            {
                reports.Add(dtmf);
            }
        }

        var report = Assert.Single(reports);
        Assert.Equal('5', report.Digit);
        Assert.Equal(48000u, report.Timestamp);
        Assert.Equal(5, detector.DuplicatePackets);
    }

    [Fact]
    public void TryDetect_SameDigitTwice_ReportsTwoEventsByTimestamp()
    {
        var detector = new DtmfDetector();

        Assert.True(detector.TryDetect(7, 1000, Event(11, false, 160), out var first));
        Assert.False(detector.TryDetect(7, 1000, Event(11, true, 800), out _));
        Assert.True(detector.TryDetect(7, 3000, Event(11, false, 160), out var second));
        Assert.Equal('#', first.Digit);
        Assert.Equal('#', second.Digit);
    }

    [Fact]
    public void TryDetect_ShortPayload_CountsMalformed()
    {
        var detector = new DtmfDetector();

        Assert.False(detector.TryDetect(1, 1, new byte[3], out _));
        Assert.Equal(1, detector.MalformedPackets);
    }

    [Theory]
    [InlineData(0, '0')]
    [InlineData(9, '9')]
    [InlineData(10, '*')]
    [InlineData(11, '#')]
    [InlineData(12, 'A')]
    [InlineData(15, 'D')]
    [InlineData(16, '?')]
    public void Digit_EventCode_MapsToCharacter(byte code, char expected)
    {
        Assert.Equal(expected, new DtmfEvent(code, 0, 0, 0, 0, false).Digit);
    }
}
