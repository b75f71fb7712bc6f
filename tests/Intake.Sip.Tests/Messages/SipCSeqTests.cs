using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Messages;

public sealed class SipCSeqTests
{
    [Theory]
    [InlineData("1 INVITE", 1u, "INVITE")]
    [InlineData("  0009\r\n  INVITE ", 9u, "INVITE")]
    [InlineData("2147483647 BYE", 2147483647u, "BYE")]
    public void TryParse_Valid_ReadsNumberAndMethod(string text, uint number, string method)
    {
        Assert.True(SipCSeq.TryParse(text, out var value));

        Assert.Equal(new SipCSeq(number, method), value);
    }

    [Theory]
    [InlineData("INVITE")]
    [InlineData("1")]
    [InlineData("1INVITE")]
    [InlineData("2147483648 INVITE")]
    [InlineData("-1 INVITE")]
    [InlineData("1 INVITE extra")]
    public void TryParse_Invalid_ReturnsFalse(string text)
    {
        Assert.False(SipCSeq.TryParse(text, out _));
    }

    [Fact]
    public void ToString_WritesNumberThenMethod()
    {
        Assert.Equal("42 OPTIONS", new SipCSeq(42, SipMethods.Options).ToString());
    }
}
