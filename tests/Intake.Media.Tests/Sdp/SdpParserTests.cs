using System.Text;
using Intake.Media.Sdp;

namespace Intake.Media.Tests.Sdp;

public sealed class SdpParserTests
{
    [Fact]
    public void Parse_LfOnlyLineEnds_Accepted()
    {
        var result = SdpParser.Parse("v=0\no=a 1 2 IN IP4 10.0.0.1\ns=x\nc=IN IP4 10.0.0.1\nt=0 0\nm=audio 4000 RTP/AVP 0\n");

        Assert.True(result.Success);
        Assert.Equal(4000, result.Description!.Media[0].Port);
        Assert.Equal(2UL, result.Description.Origin.SessionVersion);
    }

    [Fact]
    public void Parse_ThenToString_RoundTripsUnknownLinesAndAttributes()
    {
        const string text = "v=0\r\no=a 1 2 IN IP4 10.0.0.1\r\ns=x\r\ni=info\r\nc=IN IP4 10.0.0.1\r\nb=AS:64\r\nt=0 0\r\na=tool:test\r\nm=audio 4000/2 RTP/AVP 0 101\r\nb=TIAS:64000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendonly\r\n";

        var description = SdpParser.Parse(text).Description!;

        Assert.Equal(text, description.ToString());
        Assert.Equal(SdpDirection.SendOnly, description.Media[0].Direction);
        Assert.Equal("0-15", description.Media[0].GetFmtp(101));
        Assert.Equal(2, description.Media[0].PortCount);
    }

    [Fact]
    public void Parse_SessionLevelDirection_AppliesToStreamsWithoutOwn()
    {
        var description = SdpParser.Parse("v=0\r\no=a 1 2 IN IP4 10.0.0.1\r\ns=x\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=inactive\r\nm=audio 4000 RTP/AVP 0\r\n").Description!;

        Assert.Equal(SdpDirection.Inactive, description.EffectiveDirection(description.Media[0]));
    }

    [Theory]
    [InlineData("o=a 1 2 IN IP4 10.0.0.1\r\n", "must be v=0")]
    [InlineData("v=0\r\no=a 1 IN IP4 10.0.0.1\r\n", "malformed o=")]
    [InlineData("v=0\r\no=a 1 2 IN IP4 10.0.0.1\r\nc=IN IPX 1\r\n", "malformed c=")]
    [InlineData("v=0\r\no=a 1 2 IN IP4 10.0.0.1\r\nm=audio port RTP/AVP 0\r\n", "malformed m=")]
    [InlineData("v=0\r\no=a 1 2 IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 300\r\n", "malformed m=")]
    [InlineData("v=0\r\no=a 1 2 IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\n", "no c= line")]
    [InlineData("v=0\r\ngarbage\r\n", "not type=value")]
    public void Parse_MalformedInput_ReturnsError(string text, string expected)
    {
        var result = SdpParser.Parse(text);

        Assert.False(result.Success);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8_ReturnsError()
    {
        var result = SdpParser.Parse(new byte[] { (byte)'v', (byte)'=', 0xC3, 0x28 });

        Assert.False(result.Success);
    }

    [Fact]
    public void Parse_Utf8Bytes_SameAsText()
    {
        var result = SdpParser.Parse(Encoding.UTF8.GetBytes("v=0\r\no=a 1 2 IN IP6 ::1\r\ns=é\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8\r\n"));

        Assert.True(result.Success);
        Assert.Equal("é", result.Description!.SessionName);
        Assert.Equal("IP6", result.Description.Connection!.AddressType);
    }
}
