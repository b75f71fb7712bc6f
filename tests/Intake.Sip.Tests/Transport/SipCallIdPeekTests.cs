using System.Text;
using Intake.Sip.Transport;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

public sealed class SipCallIdPeekTests
{
    private static ulong Key(string message) => SipCallIdPeek.KeyOf(Encoding.ASCII.GetBytes(message));

    private static string Request(params string[] headers) =>
        "BYE sip:op@127.0.0.1 SIP/2.0\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "Content-Length: 0\r\n\r\n";

    [Fact]
    public void KeyOf_SameCallIdInDifferentMessages_SameKey()
    {
        var invite = Key(Invite("call-1@host"));
        var ok = Key(Ok("call-1@host"));

        Assert.NotEqual(SipCallIdPeek.None, invite);
        Assert.Equal(invite, ok);
        Assert.NotEqual(invite, Key(Invite("call-2@host")));
    }

    [Theory]
    [InlineData("Call-ID: abc@h")]
    [InlineData("call-id: abc@h")]
    [InlineData("CALL-ID:abc@h")]
    [InlineData("i: abc@h")]
    [InlineData("I:abc@h")]
    [InlineData("Call-ID \t: \tabc@h \t")]
    public void KeyOf_FullOrCompactNameAnyCaseAndSpacing_SameKey(string header)
    {
        Assert.Equal(Key(Request("Call-ID: abc@h")), Key(Request("Via: SIP/2.0/UDP 127.0.0.1", header, "CSeq: 2 BYE")));
    }

    [Fact]
    public void KeyOf_ValueComparedByteForByte_CaseMatters()
    {
        Assert.NotEqual(Key(Request("Call-ID: abc@h")), Key(Request("Call-ID: ABC@h")));
    }

    [Theory]
    [InlineData("Call-Info: <http://x>", "X-Call-ID: abc@h")]
    [InlineData("ii: abc@h", "Call-IDs: abc@h")]
    public void KeyOf_NoCallIdHeader_None(string first, string second)
    {
        Assert.Equal(SipCallIdPeek.None, Key(Request(first, second)));
    }

    [Fact]
    public void KeyOf_CallIdOnlyInTheBody_None()
    {
        var message = "MESSAGE sip:a@b SIP/2.0\r\nCSeq: 1 MESSAGE\r\nContent-Length: 17\r\n\r\nCall-ID: in-body\r\n";

        Assert.Equal(SipCallIdPeek.None, Key(message));
    }

    [Fact]
    public void KeyOf_LineFeedsOnlyAndLeadingBlankLines_Read()
    {
        Assert.Equal(Key(Request("Call-ID: abc@h")), Key("\r\n\r\nBYE sip:op@127.0.0.1 SIP/2.0\nVia: x\nCall-ID: abc@h\n\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("garbage without lines")]
    [InlineData("BYE sip:a SIP/2.0\r\nCall-ID:\r\n\r\n")]
    public void KeyOf_EmptyOrMalformed_None(string message)
    {
        Assert.Equal(SipCallIdPeek.None, Key(message));
    }

    [Fact]
    public void KeyOf_CallIdBeyondTheScannedHeaders_NoneAndNoCrash()
    {
        var message = Request(new string('X', 9000).Insert(0, "X-Pad: "), "Call-ID: late@h");

        Assert.Equal(SipCallIdPeek.None, Key(message));
    }
}
