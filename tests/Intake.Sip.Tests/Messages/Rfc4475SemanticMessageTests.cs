using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

/// <summary>
/// RFC 4475 §3.2–§3.4: messages that are syntactically fine but wrong for a higher layer. Each test states which
/// layer rejects the message and asserts what the parser hands that layer.
/// </summary>
public sealed class Rfc4475SemanticMessageTests
{
    private const string Corpus = "rfc4475";

    [Fact]
    public void Parse_Badbranch_IsAcceptedForTheTransactionLayer()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "badbranch").Message);

        // The transaction layer sees a bare magic cookie and must not treat it as an RFC 3261 branch.
        Assert.Equal("z9hG4bK", request.TopVia!.Branch);
    }

    [Fact]
    public void Parse_Insuf_RejectsMissingMandatoryHeaders()
    {
        var result = TestMessages.Parse(Corpus, "insuf");

        Assert.Equal(400, result.StatusCode);
        Assert.StartsWith("Bad Request - Missing ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unkscm")]
    [InlineData("novelsc")]
    public void Parse_UnsupportedRequestUriScheme_Returns416(string name)
    {
        var result = TestMessages.Parse(Corpus, name);

        Assert.Equal(416, result.StatusCode);
        Assert.NotNull(result.PartialRequest);
        Assert.Equal(SipMethods.Options, result.PartialRequest.Method);
    }

    [Fact]
    public void Parse_Unksm2_AcceptsForeignSchemesInHeadersForTheRegistrar()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "unksm2").Message);

        // The registrar rejects a non-SIP To (RFC 3261 §10.3 step 3 answers 404/400); the parser only exposes it.
        Assert.Equal("isbn", request.To!.Uri.Scheme);
        Assert.False(request.To.Uri.IsSupportedScheme);
        Assert.Equal("http", request.From!.Uri.Scheme);
        Assert.Equal("3234233", request.From.Tag);
        Assert.Equal("name", Assert.Single(request.Contacts).Uri.Scheme);
    }

    [Fact]
    public void Parse_Bext01_ExposesRequireForTheUasCore()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "bext01").Message);

        // The UAS core answers 420 Bad Extension listing these in Unsupported.
        Assert.Equal(["nothingSupportsThis", "nothingSupportsThisEither"], request.Headers.GetAll(HeaderId.Require));
        Assert.Equal(2, request.Headers.GetAll(HeaderId.ProxyRequire).Count);
    }

    [Fact]
    public void Parse_Invut_ExposesContentTypeForTheUasCore()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "invut").Message);

        // UAS core: 415 Unsupported Media Type.
        Assert.Equal("application/unknownformat", request.ContentType);
        Assert.Equal(40, request.Body.Length);
    }

    [Fact]
    public void Parse_Regaut01_KeepsUnknownAuthorizationSchemeWhole()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "regaut01").Message);

        // The registrar's authenticator answers 401 with its own challenge.
        Assert.Equal(["NoOneKnowsThisScheme opaque-data=here"], request.Headers.GetAll(HeaderId.Authorization));
    }

    [Fact]
    public void Parse_Multi01_RejectsRepeatedSingleValueHeaders()
    {
        var result = TestMessages.Parse(Corpus, "multi01");

        Assert.Equal(400, result.StatusCode);
        Assert.StartsWith("Bad Request - Multiple ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Mcl01_RejectsConflictingContentLengths()
    {
        var result = TestMessages.Parse(Corpus, "mcl01");

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("Bad Request - Multiple Content-Length", result.Error);
    }

    [Fact]
    public void Parse_Bcast_AcceptsBroadcastViaForTheTransportLayer()
    {
        var response = Assert.IsType<SipResponse>(TestMessages.Parse(Corpus, "bcast").Message);

        // The transport layer must not forward to 255.255.255.255; that is its decision, not the parser's.
        Assert.Equal("255.255.255.255", response.Vias[1].Host);
    }

    [Fact]
    public void Parse_Zeromf_KeepsMaxForwardsZero()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "zeromf").Message);

        // A proxy answers 483; a UAS processes OPTIONS normally.
        Assert.Equal(0, request.MaxForwards);
    }

    [Fact]
    public void Parse_Cparam01_GivesAddrSpecParametersToTheHeader()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "cparam01").Message);

        var contact = Assert.Single(request.Contacts);
        Assert.True(contact.HasParameter("unknownparam"));
        Assert.Empty(contact.Uri.Parameters);
    }

    [Fact]
    public void Parse_Cparam02_GivesBracketedParametersToTheUri()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "cparam02").Message);

        var contact = Assert.Single(request.Contacts);
        Assert.False(contact.HasParameter("unknownparam"));
        Assert.True(contact.Uri.HasParameter("unknownparam"));
    }

    [Fact]
    public void Parse_Regescrt_KeepsEscapedHeaderInContactUri()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "regescrt").Message);

        // The registrar stores the URI with its header component; RFC 3261 §10.3 says it is kept as is.
        var header = Assert.Single(Assert.Single(request.Contacts).Uri.Headers);
        Assert.Equal("Route", header.Key);
        Assert.Equal("%3Csip:sip.example.com%3E", header.Value);
    }

    [Fact]
    public void Parse_Sdp01_ExposesAcceptForTheUasCore()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "sdp01").Message);

        // UAS core: 406 Not Acceptable, since it can only answer with SDP.
        Assert.Equal(["text/nobodyKnowsThis"], request.Headers.GetAll(HeaderId.Accept));
    }

    [Fact]
    public void Parse_Inv2543_AcceptsRfc2543RequestWithoutOptionalHeaders()
    {
        var request = Assert.IsType<SipRequest>(TestMessages.Parse(Corpus, "inv2543").Message);

        // No Max-Forwards (callers treat it as 70), no branch (RFC 2543 transaction matching), no Content-Length.
        Assert.Null(request.MaxForwards);
        Assert.Null(request.TopVia!.Branch);
        Assert.Equal(105, request.Body.Length);
        Assert.Equal("phone", request.To!.GetParameter("user"));
    }
}
