using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

/// <summary>RFC 4475 §3.1.2: syntactically invalid messages; the parser must answer with the right status.</summary>
public sealed class Rfc4475InvalidMessageTests
{
    private const string Corpus = "rfc4475";

    [Theory]
    [InlineData("badinv01", 400, "Invalid Via")]
    [InlineData("clerr", 400, "Content-Length exceeds message body")]
    [InlineData("ncl", 400, "Invalid Content-Length")]
    [InlineData("scalar02", 400, "Invalid CSeq")]
    [InlineData("quotbal", 400, "Invalid To")]
    [InlineData("ltgtruri", 400, "Invalid Request-URI")]
    [InlineData("lwsruri", 400, "Malformed Request-Line")]
    [InlineData("lwsstart", 400, "Malformed Request-Line")]
    [InlineData("trws", 400, "Malformed Request-Line")]
    [InlineData("escruri", 400, "Headers not allowed in Request-URI")]
    [InlineData("regbadct", 400, "Invalid Contact")]
    [InlineData("badaspec", 400, "Invalid To")]
    [InlineData("baddn", 400, "Invalid From")]
    [InlineData("badvers", 505, "Version Not Supported")]
    [InlineData("mismatch01", 400, "CSeq method does not match Request-Line")]
    public void Parse_InvalidTortureRequest_RejectsWithStatusAndReason(string name, int status, string fault)
    {
        var result = TestMessages.Parse(Corpus, name);

        Assert.False(result.Success);
        Assert.True(result.IsRequest);
        Assert.Equal(status, result.StatusCode);
        Assert.Contains(fault, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("badinv01")]
    [InlineData("clerr")]
    [InlineData("scalar02")]
    [InlineData("badvers")]
    [InlineData("mismatch01")]
    [InlineData("lwsruri")]
    public void Parse_InvalidTortureRequest_KeepsHeadersForTheErrorResponse(string name)
    {
        var partial = TestMessages.Parse(Corpus, name).PartialRequest;

        Assert.NotNull(partial);
        Assert.NotNull(partial.CallId);
        Assert.True(partial.Headers.Contains(HeaderId.Via));
        var response = SipResponse.CreateFor(partial, 400);
        Assert.Equal(partial.CallId, response.CallId);
    }

    [Fact]
    public void Parse_Scalarlg_RejectsResponseWithOverlargeCSeq()
    {
        var result = TestMessages.Parse(Corpus, "scalarlg");

        // A response cannot be answered: the transport layer simply drops it.
        Assert.False(result.Success);
        Assert.False(result.IsRequest);
        Assert.Null(result.PartialRequest);
        Assert.Equal("Bad Request - Invalid CSeq", result.Error);
    }

    [Fact]
    public void Parse_Bigcode_RejectsResponseWithOverlargeStatusCode()
    {
        var result = TestMessages.Parse(Corpus, "bigcode");

        Assert.False(result.Success);
        Assert.False(result.IsRequest);
        Assert.Equal("Bad Request - Invalid status code", result.Error);
    }

    [Fact]
    public void Parse_Mismatch02_RejectsUnknownMethodWithForeignCSeq()
    {
        var result = TestMessages.Parse(Corpus, "mismatch02");

        // RFC 4475 allows 400 or 501; the parser cannot know which methods the UAS implements, so it reports 400.
        Assert.Equal(400, result.StatusCode);
        Assert.Equal("NEWMETHOD", result.PartialRequest!.Method);
    }

    [Fact]
    public void Parse_Baddate_IsLeftToTheApplication()
    {
        var result = TestMessages.Parse(Corpus, "baddate");

        // §3.1.2.12: a bad Date is no reason for a proxy to reject; Date is not interpreted by the parser.
        Assert.True(result.Success, result.Error);
        Assert.Equal("Fri, 01 Jan 2010 16:00:00 EST", result.Message!.Headers.Get(HeaderId.Date));
    }
}
