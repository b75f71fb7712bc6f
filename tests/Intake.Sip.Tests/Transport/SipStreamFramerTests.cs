using System.Buffers;
using System.Text;
using Intake.Sip.Messages;
using Intake.Sip.Transport;
using static Intake.Sip.Tests.Transport.TransportTestMessages;

namespace Intake.Sip.Tests.Transport;

public sealed class SipStreamFramerTests
{
    private static readonly SipParserLimits Limits = SipParserLimits.Default;

    [Fact]
    public void TryReadMessage_EveryPrefixOfValidMessage_NeedMoreDataThenComplete()
    {
        var bytes = Bytes(Invite("prefix"));

        for (var length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            var status = SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out var error);
            Assert.True(status == SipFramingStatus.NeedMoreData, $"prefix {length}: {status} {error}");
            Assert.Equal(length, buffer.Length);
        }

        var full = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref full, Limits, out var message, out var isPing, out _));
        Assert.False(isPing);
        Assert.Equal(bytes, message.ToArray());
        Assert.True(full.IsEmpty);
    }

    [Fact]
    public void TryReadMessage_ByteAtATimeSegments_CompleteOnlyWithLastByte()
    {
        var bytes = Bytes(Invite("segments"));

        for (var length = 1; length < bytes.Length; length += 7)
        {
            var partial = SegmentedSequence.ByteAtATime(bytes[..length]);
            Assert.Equal(SipFramingStatus.NeedMoreData, SipStreamFramer.TryReadMessage(ref partial, Limits, out _, out _, out _));
            Assert.Equal(length, partial.Length);
        }

        var buffer = SegmentedSequence.ByteAtATime(bytes);
        var status = SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out _, out var error);

        Assert.True(status == SipFramingStatus.Complete, error);
        Assert.Equal(bytes, message.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryReadMessage_TwoMessagesInOneBuffer_BothCompleteInOrder()
    {
        var first = Bytes(Invite("one"));
        var second = Bytes(Options("two"));
        var buffer = new ReadOnlySequence<byte>([.. first, .. second]);

        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var m1, out _, out _));
        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var m2, out _, out _));

        Assert.Equal(first, m1.ToArray());
        Assert.Equal(second, m2.ToArray());
        Assert.True(buffer.IsEmpty);
        Assert.Equal(SipFramingStatus.NeedMoreData, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out _));
    }

    [Fact]
    public void TryReadMessage_ThreeMessagesAcrossSegmentsWithTrailingPartial_ThreeCompleteThenNeedMoreData()
    {
        var messages = new[] { Bytes(Options("a")), Bytes(Invite("b")), Bytes(Ok("c")) };
        var tail = Bytes(Invite("d"))[..40];
        byte[] all = [.. messages[0], .. messages[1], .. messages[2], .. tail];
        var buffer = SegmentedSequence.Create(all[..100], all[100..333], all[333..]);

        foreach (var expected in messages)
        {
            Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out _, out _));
            Assert.Equal(expected, message.ToArray());
        }

        Assert.Equal(SipFramingStatus.NeedMoreData, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out _));
        Assert.Equal(tail, buffer.ToArray());
    }

    [Fact]
    public void TryReadMessage_BodySplitAcrossSegments_WaitsForWholeBody()
    {
        var bytes = Bytes(Invite("body"));
        var bodyStart = bytes.Length - Encoding.ASCII.GetByteCount(Sdp);
        var headersAndHalfBody = SegmentedSequence.Create(bytes[..(bodyStart + 5)], bytes[(bodyStart + 5)..(bodyStart + 20)]);

        Assert.Equal(SipFramingStatus.NeedMoreData, SipStreamFramer.TryReadMessage(ref headersAndHalfBody, Limits, out _, out _, out _));

        var whole = SegmentedSequence.Create(bytes[..(bodyStart + 5)], bytes[(bodyStart + 5)..(bodyStart + 20)], bytes[(bodyStart + 20)..]);
        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref whole, Limits, out var message, out _, out _));
        Assert.Equal(bytes, message.ToArray());
    }

    [Fact]
    public void TryReadMessage_DoubleCrlf_CompletesAsPing()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("\r\n\r\n"));

        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out var isPing, out _));

        Assert.True(isPing);
        Assert.Equal(4, message.Length);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\r\n\r")]
    public void TryReadMessage_IncompleteKeepAlive_NeedMoreDataWithNothingConsumed(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(text));

        Assert.Equal(SipFramingStatus.NeedMoreData, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out _));
        Assert.Equal(text.Length, buffer.Length);
    }

    [Fact]
    public void TryReadMessage_SingleCrlfBeforeStartLine_SkippedAndMessageComplete()
    {
        var options = Bytes(Options("lead"));
        var buffer = new ReadOnlySequence<byte>([.. Bytes("\r\n"), .. options]);

        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out var isPing, out _));

        Assert.False(isPing);
        Assert.Equal(options, message.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryReadMessage_PingThenMessage_PingFirstThenMessage()
    {
        var options = Bytes(Options("after-ping"));
        var buffer = new ReadOnlySequence<byte>([.. Bytes("\r\n\r\n"), .. options]);

        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out var firstIsPing, out _));
        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out var secondIsPing, out _));

        Assert.True(firstIsPing);
        Assert.False(secondIsPing);
        Assert.Equal(options, message.ToArray());
    }

    [Fact]
    public void TryReadMessage_StrayCarriageReturn_Invalid()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("\rX"));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void TryReadMessage_HeaderSectionLargerThanLimitWithoutEnd_Invalid()
    {
        var limits = Limits with { MaxMessageBytes = 512 };
        var text = "OPTIONS sip:intake.example SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X-Filler: 0123456789abcdef\r\n", 40));
        var buffer = new ReadOnlySequence<byte>(Bytes(text));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, limits, out _, out _, out var error));
        Assert.Contains("Header section", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadMessage_FragmentedHeaderSectionLargerThanLimit_Invalid()
    {
        var limits = Limits with { MaxMessageBytes = 512 };
        var line = Bytes("X-Filler: 0123456789abcdef\r\n");
        var segments = new List<byte[]> { Bytes("OPTIONS sip:intake.example SIP/2.0\r\n") };
        segments.AddRange(Enumerable.Repeat(line, 40));
        var buffer = SegmentedSequence.Create([.. segments]);

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, limits, out _, out _, out var error));
        Assert.Contains("Header section", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadMessage_FragmentedMessageFollowedByMore_CompletesWithRestLeft()
    {
        var first = Bytes(Invite("frag-1"));
        var second = Bytes(Options("frag-2"));
        byte[] all = [.. first, .. second];
        var buffer = SegmentedSequence.Create(all[..50], all[50..(first.Length + 3)], all[(first.Length + 3)..]);

        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out _, out _));

        Assert.Equal(first, message.ToArray());
        Assert.Equal(second, buffer.ToArray());
    }

    [Fact]
    public void TryReadMessage_HeaderSectionLargerThanLimitWithEnd_Invalid()
    {
        var limits = Limits with { MaxMessageBytes = 600 };
        var text = "OPTIONS sip:intake.example SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X-Filler: 0123456789abcdef\r\n", 40))
            + "Content-Length: 0\r\n\r\n";
        var buffer = new ReadOnlySequence<byte>(Bytes(text));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, limits, out _, out _, out _));
    }

    [Fact]
    public void TryReadMessage_ContentLengthAboveBodyLimit_InvalidBeforeBodyArrives()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(WithContentLengthLines("Content-Length: 40000")));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out var error));
        Assert.Contains("body limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadMessage_HeadersPlusBodyAboveMessageLimit_Invalid()
    {
        var limits = Limits with { MaxMessageBytes = 300, MaxBodyBytes = 1000 };
        var buffer = new ReadOnlySequence<byte>(Bytes(WithContentLengthLines("Content-Length: 200")));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, limits, out _, out _, out var error));
        Assert.Contains("exceeds the limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadMessage_MissingContentLength_Invalid()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(WithContentLengthLines()));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out var error));
        Assert.Contains("required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Content-Length: abc")]
    [InlineData("Content-Length: 12abc")]
    [InlineData("Content-Length: -1")]
    [InlineData("Content-Length: 1 2")]
    [InlineData("Content-Length:")]
    [InlineData("Content-Length: 99999999999999999999")]
    [InlineData("Content-Length: 0", "l: 5")]
    public void TryReadMessage_GarbageOrConflictingContentLength_Invalid(params string[] lines)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(WithContentLengthLines(lines)));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("l: 4")]
    [InlineData("L:4")]
    [InlineData("content-length: 4")]
    [InlineData("CONTENT-LENGTH :\t 4 ")]
    [InlineData("Content-Length:", " 4")]
    [InlineData("Content-Length: 4", "l: 4")]
    public void TryReadMessage_ContentLengthVariants_FramesFourByteBody(params string[] lines)
    {
        var bytes = Bytes(WithContentLengthLines(lines) + "abcd");
        var buffer = new ReadOnlySequence<byte>([.. bytes, .. Bytes("NEXT")]);

        var status = SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out _, out var error);

        Assert.True(status == SipFramingStatus.Complete, error);
        Assert.Equal(bytes, message.ToArray());
        Assert.Equal("NEXT", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n")]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\r\n")]
    [InlineData("INVITE sip:x SIP/3.0\r\n")]
    public void TryReadMessage_NonSipStartLine_InvalidAsSoonAsLineIsComplete(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(text));

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, Limits, out _, out _, out var error));
        Assert.Equal("Not a SIP start line", error);
    }

    [Fact]
    public void TryReadMessage_LongLineWithoutCrlf_InvalidAtLineLimit()
    {
        var limits = Limits with { MaxLineBytes = 256 };
        var buffer = new ReadOnlySequence<byte>(new byte[300]);

        Assert.Equal(SipFramingStatus.Invalid, SipStreamFramer.TryReadMessage(ref buffer, limits, out _, out _, out var error));
        Assert.Contains("Start line", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryReadMessage_ResponseStartLine_Complete()
    {
        var bytes = Bytes(Ok("resp"));
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(SipFramingStatus.Complete, SipStreamFramer.TryReadMessage(ref buffer, Limits, out var message, out _, out _));
        Assert.Equal(bytes, message.ToArray());
    }
}
