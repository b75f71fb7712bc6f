using System.Net;
using Intake.Media.Codecs;
using Intake.Media.Sdp;

namespace Intake.Media.Tests.Sdp;

public sealed class SdpNegotiatorTests
{
    // RFC 4317 §2.1-style offer: audio with PCMU, PCMA, iLBC and a video stream.
    private const string AudioAndVideoOffer =
        "v=0\r\n" +
        "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n" +
        "s=\r\n" +
        "c=IN IP4 host.atlanta.example.com\r\n" +
        "t=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 8 97\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:97 iLBC/8000\r\n" +
        "m=video 51372 RTP/AVP 31 32\r\n" +
        "a=rtpmap:31 H261/90000\r\n" +
        "a=rtpmap:32 MPV/90000\r\n";

    private const string AudioAndVideoAnswer =
        "v=0\r\n" +
        "o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com\r\n" +
        "s=\r\n" +
        "c=IN IP4 host.biloxi.example.com\r\n" +
        "t=0 0\r\n" +
        "m=audio 49174 RTP/AVP 0\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "m=video 49170 RTP/AVP 32\r\n" +
        "a=rtpmap:32 MPV/90000\r\n";

    // RFC 4317 §2.4-style offer: two audio streams, the second one carrying only events, sendonly.
    private const string TwoAudioStreamsOffer =
        "v=0\r\n" +
        "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\r\n" +
        "s=\r\n" +
        "c=IN IP4 host.atlanta.example.com\r\n" +
        "t=0 0\r\n" +
        "m=audio 49170 RTP/AVP 0 97\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:97 iLBC/8000\r\n" +
        "m=audio 49172 RTP/AVP 98\r\n" +
        "a=rtpmap:98 telephone-event/8000\r\n" +
        "a=sendonly\r\n";

    // RFC 4317 §3.1-style hold: a re-offer with sendonly.
    private const string HoldOffer =
        "v=0\r\n" +
        "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com\r\n" +
        "s=\r\n" +
        "c=IN IP4 192.0.2.201\r\n" +
        "t=0 0\r\n" +
        "m=audio 49172 RTP/AVP 0\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=sendonly\r\n";

    private static readonly SdpLocalMedia s_local = new() { Address = IPAddress.Parse("192.0.2.10"), RtpPort = 20000 };

    private static SdpSessionDescription ParseOk(string text)
    {
        var result = SdpParser.Parse(text);
        Assert.True(result.Success, result.Error);
        return result.Description!;
    }

    [Fact]
    public void CreateAnswer_Rfc4317AudioAndVideo_PicksPcmuAndRejectsVideoWithPortZero()
    {
        var result = SdpNegotiator.CreateAnswer(ParseOk(AudioAndVideoOffer), s_local);

        Assert.True(result.Success);
        Assert.Equal(AudioEncoding.Pcmu, result.Audio!.Encoding);
        Assert.Equal("host.atlanta.example.com", result.Audio.RemoteAddress);
        Assert.Equal(49170, result.Audio.RemotePort);
        Assert.Equal(49171, result.Audio.RemoteRtcpPort);
        Assert.Null(result.Audio.RemoteRtpEndPoint);
        var answer = ParseOk(result.Answer!.ToString());
        Assert.Equal(2, answer.Media.Count);
        Assert.Equal(20000, answer.Media[0].Port);
        Assert.Equal(["0"], answer.Media[0].Formats);
        Assert.Equal("video", answer.Media[1].Media);
        Assert.Equal(0, answer.Media[1].Port);
    }

    [Fact]
    public void ProcessAnswer_Rfc4317AudioAndVideoAnswer_YieldsPcmuTowardsBob()
    {
        var result = SdpNegotiator.ProcessAnswer(ParseOk(AudioAndVideoOffer), ParseOk(AudioAndVideoAnswer));

        Assert.True(result.Success);
        Assert.Equal(AudioEncoding.Pcmu, result.Audio!.Encoding);
        Assert.Equal("host.biloxi.example.com", result.Audio.RemoteAddress);
        Assert.Equal(49174, result.Audio.RemotePort);
        Assert.Equal(SdpDirection.SendRecv, result.Audio.RemoteDirection);
    }

    [Fact]
    public void CreateAnswer_Rfc4317TwoAudioStreams_TakesFirstAndRejectsEventOnlyStream()
    {
        var result = SdpNegotiator.CreateAnswer(ParseOk(TwoAudioStreamsOffer), s_local);

        Assert.True(result.Success);
        Assert.Equal(0, result.Audio!.MediaIndex);
        Assert.Null(result.Audio.SendTelephoneEventPayloadType);
        var answer = ParseOk(result.Answer!.ToString());
        Assert.Equal(2, answer.Media.Count);
        Assert.Equal(["0"], answer.Media[0].Formats);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.Equal(["98"], answer.Media[1].Formats);
    }

    [Fact]
    public void CreateAnswer_Rfc4317HoldOffer_AnswersRecvOnlyAndMarksPeerNotReceiving()
    {
        var result = SdpNegotiator.CreateAnswer(ParseOk(HoldOffer), s_local);

        Assert.True(result.Success);
        Assert.Equal(SdpDirection.SendOnly, result.Audio!.RemoteDirection);
        Assert.Equal(SdpDirection.RecvOnly, result.Audio.LocalDirection);
        Assert.False(result.Audio.LocalSends);
        Assert.True(result.Audio.RemoteSends);
        Assert.Equal(SdpDirection.RecvOnly, ParseOk(result.Answer!.ToString()).Media[0].Direction);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.201"), 49172), result.Audio.RemoteRtpEndPoint);
    }

    [Fact]
    public void CreateAnswer_InactiveOffer_AnswersInactive()
    {
        var result = SdpNegotiator.CreateAnswer(ParseOk(HoldOffer.Replace("a=sendonly", "a=inactive", StringComparison.Ordinal)), s_local);

        Assert.Equal(SdpDirection.Inactive, result.Audio!.LocalDirection);
        Assert.False(result.Audio.RemoteSends);
    }

    [Fact]
    public void CreateAnswer_NullConnectionAddress_TreatedAsHold()
    {
        var result = SdpNegotiator.CreateAnswer(ParseOk(HoldOffer.Replace("192.0.2.201", "0.0.0.0", StringComparison.Ordinal).Replace("a=sendonly\r\n", "", StringComparison.Ordinal)), s_local);

        Assert.True(result.Success);
        Assert.Equal(SdpDirection.Inactive, result.Audio!.RemoteDirection);
    }

    [Fact]
    public void CreateAnswer_NoCommonCodec_Returns488WithIncompatibleFormatWarning()
    {
        var offer = ParseOk(AudioAndVideoOffer.Replace("m=audio 49170 RTP/AVP 0 8 97", "m=audio 49170 RTP/AVP 97", StringComparison.Ordinal));

        var result = SdpNegotiator.CreateAnswer(offer, s_local);

        Assert.False(result.Success);
        Assert.Equal(488, result.StatusCode);
        Assert.Equal(305, result.WarningCode);
        Assert.Equal("305 intake \"Incompatible media format\"", result.FormatWarning("intake"));
    }

    [Fact]
    public void CreateAnswer_OnlyVideo_Returns488WithMediaTypeWarning()
    {
        var offer = ParseOk("v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=video 5000 RTP/AVP 31\r\n");

        var result = SdpNegotiator.CreateAnswer(offer, s_local);

        Assert.Equal(488, result.StatusCode);
        Assert.Equal(304, result.WarningCode);
    }

    [Fact]
    public void CreateAnswer_PcmaOnlyLocalPolicy_SkipsOfferedPcmu()
    {
        var local = new SdpLocalMedia { Address = IPAddress.Loopback, RtpPort = 20002, Codecs = [AudioEncoding.Pcma] };

        var result = SdpNegotiator.CreateAnswer(ParseOk(AudioAndVideoOffer), local);

        Assert.Equal(AudioEncoding.Pcma, result.Audio!.Encoding);
        Assert.Equal(8, result.Audio.PayloadType);
    }

    [Fact]
    public void CreateAnswer_TelephoneEventOffered_MirrorsPayloadTypeAndFmtp()
    {
        var offer = ParseOk(
            "v=0\r\no=trunk 5 7 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n" +
            "m=audio 30000 RTP/AVP 8 0 100\r\na=rtpmap:100 telephone-event/8000\r\na=fmtp:100 0-15\r\na=ptime:30\r\na=rtcp:30011\r\n");
        var local = new SdpLocalMedia { Address = IPAddress.Parse("2001:db8::10"), RtpPort = 20004 };

        var result = SdpNegotiator.CreateAnswer(offer, local);

        Assert.Equal(AudioEncoding.Pcma, result.Audio!.Encoding);
        Assert.Equal((byte)100, result.Audio.SendTelephoneEventPayloadType);
        Assert.Equal(30, result.Audio.Ptime);
        Assert.Equal(30011, result.Audio.RemoteRtcpPort);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 30000), result.Audio.RemoteRtpEndPoint);
        var text = result.Answer!.ToString();
        Assert.Contains("c=IN IP6 2001:db8::10\r\n", text, StringComparison.Ordinal);
        Assert.Contains("m=audio 20004 RTP/AVP 8 100\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:100 0-15\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateOffer_Default_ListsPcmuPcmaAndTelephoneEvent()
    {
        var offer = SdpNegotiator.CreateOffer(s_local);

        var text = offer.ToString();
        Assert.Contains("m=audio 20000 RTP/AVP 0 8 101\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:101 telephone-event/8000\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=fmtp:101 0-16\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=ptime:20\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=sendrecv\r\n", text, StringComparison.Ordinal);
        Assert.StartsWith("v=0\r\no=intake 1 1 IN IP4 192.0.2.10\r\ns=Intake\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ProcessAnswer_AnswerChoosesPcmaAndOwnEventType_UsesAnswerTypesForSending()
    {
        var offer = SdpNegotiator.CreateOffer(s_local);
        var answer = ParseOk("v=0\r\no=op 9 9 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\nm=audio 40000 RTP/AVP 8 96\r\na=rtpmap:96 telephone-event/8000\r\na=recvonly\r\n");

        var result = SdpNegotiator.ProcessAnswer(offer, answer);

        Assert.Equal(AudioEncoding.Pcma, result.Audio!.Encoding);
        Assert.Equal((byte)96, result.Audio.SendTelephoneEventPayloadType);
        Assert.Equal((byte)101, result.Audio.ReceiveTelephoneEventPayloadType);
        Assert.False(result.Audio.RemoteSends);
    }

    [Fact]
    public void ProcessAnswer_AudioRejected_Fails()
    {
        var offer = SdpNegotiator.CreateOffer(s_local);
        var answer = ParseOk("v=0\r\no=op 9 9 IN IP4 192.0.2.50\r\ns=-\r\nc=IN IP4 192.0.2.50\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n");

        Assert.False(SdpNegotiator.ProcessAnswer(offer, answer).Success);
    }

    [Fact]
    public void ProcessAnswer_MediaCountMismatch_Fails()
    {
        var answer = ParseOk(AudioAndVideoAnswer);

        var result = SdpNegotiator.ProcessAnswer(SdpNegotiator.CreateOffer(s_local), answer);

        Assert.False(result.Success);
        Assert.Equal(488, result.StatusCode);
    }
}
