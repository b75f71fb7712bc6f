using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

/// <summary>RFC 4475 §3.1.1: syntactically valid messages every parser must accept.</summary>
public sealed class Rfc4475ValidMessageTests
{
    private const string Corpus = "rfc4475";

    [Theory]
    [InlineData("wsinv")]
    [InlineData("intmeth")]
    [InlineData("esc01")]
    [InlineData("escnull")]
    [InlineData("esc02")]
    [InlineData("lwsdisp")]
    [InlineData("longreq")]
    [InlineData("dblreq")]
    [InlineData("semiuri")]
    [InlineData("transports")]
    [InlineData("mpart01")]
    [InlineData("unreason")]
    [InlineData("noreason")]
    public void Parse_ValidTortureMessage_Succeeds(string name)
    {
        var result = TestMessages.Parse(Corpus, name);

        Assert.True(result.Success, $"{name}: {result.StatusCode} {result.Error}");
        Assert.Equal(SipParseStatus.Ok, result.Status);
    }

    [Fact]
    public void Parse_Wsinv_UnfoldsAndReadsEveryField()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "wsinv").Message);

        Assert.Equal(SipMethods.Invite, request.Method);
        Assert.Equal("chair-dnrc.example.com", request.RequestUri.Host);
        Assert.True(request.RequestUri.HasParameter("unknownparam"));
        Assert.Equal("1918181833n", request.To!.Tag);
        Assert.Equal("vivekg", request.To.Uri.User);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal(new SipCSeq(9, SipMethods.Invite), request.CSeq);
        Assert.Equal("wsinv.ndaksdj@192.0.2.1", request.CallId);
        Assert.Equal(3, request.Vias.Count);
        Assert.Equal("192.0.2.2", request.TopVia!.Host);
        Assert.Equal("390skdjuw", request.TopVia.Branch);
        Assert.Equal("spindle.example.com", request.Vias[1].Host);
        Assert.Equal(SipTransportProtocol.Tcp, request.Vias[1].Transport);
        Assert.Equal("z9hG4bK9ikj8", request.Vias[1].Branch);
        Assert.Equal("192.168.255.111", request.Vias[2].Host);
        Assert.Equal("z9hG4bK30239", request.Vias[2].Branch);
        var contact = Assert.Single(request.Contacts);
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("newvalue", contact.GetParameter("newparam"));
        Assert.Equal("0.33", contact.GetParameter("q"));
        Assert.Equal(string.Empty, request.Headers["Subject"]);
        Assert.Equal("newfangled value continued newfangled value", request.Headers["NewFangledHeader"]);
        Assert.Equal(";;,,;;,;", request.Headers["UnknownHeaderWithUnusualValue"]);
        var route = Assert.Single(request.Routes);
        Assert.True(route.Uri.HasParameter("lr"));
        Assert.Equal(150, request.Body.Length);
        Assert.Equal("application/sdp", request.ContentType);
    }

    [Fact]
    public void Parse_Intmeth_KeepsUnusualTokensAndUtf8()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "intmeth").Message);

        Assert.Equal("!interesting-Method0123456789_*+`.%indeed'~", request.Method);
        Assert.Equal("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*", request.RequestUri.User);
        Assert.Equal("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)", request.RequestUri.Password);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Equal("BEL:\a NUL:\0 DEL:\u007f", request.To!.DisplayName);
        Assert.Equal("token1~` token2'+_ token3*%!.-", request.From!.DisplayName);
        Assert.Equal("_token~1'+`*%!-.", request.From.Tag);
        Assert.Equal("\"работающий\"", request.From.GetParameter("fromParam''~+*_!.-%"));
        Assert.Equal("\ufeff大停電", request.Headers["extensionHeader-!.%*+_`'~"]);
        Assert.Equal(255, request.MaxForwards);
        Assert.Equal(request.Method, request.CSeq!.Value.Method);
    }

    [Fact]
    public void Parse_Esc01_UnescapesUserParts()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "esc01").Message);

        Assert.Equal("sips:user@example.com", request.RequestUri.User);
        Assert.Equal("example.net", request.RequestUri.Host);
        Assert.Equal("user", request.To!.Uri.User);
        Assert.Equal("I have spaces", request.From!.Uri.User);
        Assert.Equal("caller", Assert.Single(request.Contacts).Uri.User);
        Assert.Equal("application/sdp", request.ContentType);
    }

    [Fact]
    public void Parse_Escnull_KeepsNulCharacters()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "escnull").Message);

        Assert.Equal("null-\0-null", request.To!.Uri.User);
        Assert.Equal(["\0", "\0\0"], request.Contacts.Select(c => c.Uri.User));
    }

    [Fact]
    public void Parse_Esc02_TreatsEscapesInMethodAndHeaderNameLiterally()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "esc02").Message);

        Assert.Equal("RE%47IST%45R", request.Method);
        Assert.NotEqual(SipMethods.Register, request.Method);
        Assert.Equal("%Z%45", request.To!.DisplayName);
        Assert.Equal("z9hG4bK209%fzsnel234", request.TopVia!.Branch);
        Assert.Equal(2, request.Contacts.Count);
        Assert.Equal("<sip:alias2@host2.example.com>", request.Headers["C%6Fntact"]);
    }

    [Fact]
    public void Parse_Lwsdisp_AcceptsDisplayNameWithoutSpace()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "lwsdisp").Message);

        Assert.Equal("caller", request.From!.DisplayName);
        Assert.Equal("sip:caller@example.com", request.From.Uri.ToString());
        Assert.Equal("323", request.From.Tag);
    }

    [Fact]
    public void Parse_Longreq_ReadsLongValuesAndThirtyFourVias()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "longreq").Message);

        Assert.Equal(34, request.Vias.Count);
        Assert.Equal("sip33.example.com", request.TopVia!.Host);
        Assert.Equal("192.0.2.5", request.Vias[^1].Received);
        Assert.StartsWith("I have a user name of extreme", request.To!.DisplayName, StringComparison.Ordinal);
        Assert.Equal(6000, request.To.Uri.Port);
        Assert.True(request.To.Uri.HasParameter("verylonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongParameterNameWithNoValue"));
        Assert.StartsWith("12982982982", request.From!.Tag, StringComparison.Ordinal);
        Assert.Equal(70, request.MaxForwards);
        Assert.Equal(150, request.Body.Length);
    }

    [Fact]
    public void Parse_Dblreq_ParsesFirstRequestAndIgnoresTrailingBytes()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "dblreq").Message);

        // RFC 3261 §18.3: on a datagram, octets beyond Content-Length are discarded.
        Assert.Equal(SipMethods.Register, request.Method);
        Assert.Equal(0, request.Body.Length);
        Assert.Equal("dblreq.0ha0isndaksdj99sdfafnl3lk233412", request.CallId);
    }

    [Fact]
    public void Parse_Semiuri_KeepsSemicolonInsideUser()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "semiuri").Message);

        Assert.Equal("user;par=u@example.net", request.RequestUri.User);
        Assert.Equal("example.com", request.RequestUri.Host);
        Assert.Empty(request.RequestUri.Parameters);
        Assert.Equal(6, request.Headers.GetAll(HeaderId.Accept).Count);
    }

    [Fact]
    public void Parse_Transports_ReadsKnownAndUnknownTransports()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "transports").Message);

        Assert.Equal(["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"], request.Vias.Select(v => v.TransportName));
        Assert.Equal([true, false, true, false, true], request.Vias.Select(v => v.IsKnownTransport));
        Assert.Equal(SipTransportProtocol.Tls, request.Vias[2].Transport);
        Assert.Equal("transports.kijh4akdnaqjkwendsasfdj", request.CallId);
    }

    [Fact]
    public void Parse_Mpart01_KeepsMultipartBodyOpaque()
    {
        var data = TestMessages.Load(Corpus, "mpart01");
        var request = Assert.IsType<SipRequest>(SipParser.Parse(data).Message);

        Assert.Equal(553, request.Body.Length);
        Assert.True(request.Body.Span.SequenceEqual(data.AsSpan(data.Length - 553)));
        Assert.Equal("multipart/mixed;boundary=7a9cbec02ceef655", request.ContentType);
        Assert.True(request.TopVia!.HasRport);
        Assert.Null(request.TopVia.Rport);
    }

    [Fact]
    public void Parse_Unreason_DecodesUtf8ReasonPhrase()
    {
        var response = Assert.IsType<SipResponse>(TestMessages.Parse(Corpus, "unreason").Message);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("= 2**3 * 5**2 но сто девяносто девять - простое", response.ReasonPhrase);
        Assert.Equal(154, response.Body.Length);
    }

    [Fact]
    public void Parse_Noreason_AcceptsEmptyReasonPhrase()
    {
        var response = Assert.IsType<SipResponse>(TestMessages.Parse(Corpus, "noreason").Message);

        Assert.Equal(100, response.StatusCode);
        Assert.Equal(string.Empty, response.ReasonPhrase);
    }

    [Theory]
    [InlineData("wsinv")]
    [InlineData("intmeth")]
    [InlineData("esc01")]
    [InlineData("longreq")]
    [InlineData("mpart01")]
    [InlineData("unreason")]
    [InlineData("noreason")]
    public void ToBytes_UntouchedTortureMessage_IsByteExact(string name)
    {
        var data = TestMessages.Load(Corpus, name);
        var message = SipParser.Parse(data).Message!;

        Assert.Equal(Encoding.UTF8.GetString(data), Encoding.UTF8.GetString(message.ToBytes()));
    }
}
