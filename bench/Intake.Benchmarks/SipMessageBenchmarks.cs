using System.Buffers;
using BenchmarkDotNet.Attributes;
using Intake.Sip.Messages;

namespace Intake.Benchmarks;

/// <summary>
/// Parse and serialise of the reference messages in Data/ (a 917-byte trunk INVITE with SDP and a 401-byte 200 OK).
/// Serialise runs on an untouched parsed message (the forwarding case) and on one whose top Via was rewritten.
/// </summary>
[MemoryDiagnoser]
public class SipMessageBenchmarks
{
    private byte[] _invite = [];
    private byte[] _ok = [];
    private SipMessage _parsedInvite = null!;
    private SipMessage _parsedOk = null!;
    private SipMessage _editedInvite = null!;
    private readonly ArrayBufferWriter<byte> _writer = new(4096);

    [GlobalSetup]
    public void Setup()
    {
        _invite = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "invite.sip"));
        _ok = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "ok.sip"));
        _parsedInvite = SipParser.Parse(_invite).Message ?? throw new InvalidOperationException("invite.sip does not parse");
        _parsedOk = SipParser.Parse(_ok).Message ?? throw new InvalidOperationException("ok.sip does not parse");
        _editedInvite = SipParser.Parse(_invite).Message!;
        _editedInvite.Headers.ReplaceFirst(HeaderId.Via, _editedInvite.TopVia!.WithReceived("198.51.100.7", 5062).ToString());
    }

    [Benchmark]
    public SipParseResult ParseInvite() => SipParser.Parse(_invite);

    [Benchmark]
    public SipParseResult ParseOk() => SipParser.Parse(_ok);

    [Benchmark]
    public int SerializeInvite()
    {
        _writer.ResetWrittenCount();
        _parsedInvite.WriteTo(_writer);
        return _writer.WrittenCount;
    }

    [Benchmark]
    public int SerializeOk()
    {
        _writer.ResetWrittenCount();
        _parsedOk.WriteTo(_writer);
        return _writer.WrittenCount;
    }

    [Benchmark]
    public int SerializeEditedInvite()
    {
        _writer.ResetWrittenCount();
        _editedInvite.WriteTo(_writer);
        return _writer.WrittenCount;
    }

    /// <summary>Parse plus the typed views a UAS reads on every INVITE.</summary>
    [Benchmark]
    public string? ParseInviteAndReadDialogFields()
    {
        var message = SipParser.Parse(_invite).Message!;
        return message.TopVia?.Branch ?? message.From?.Tag ?? message.CallId;
    }
}
