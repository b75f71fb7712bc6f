using BenchmarkDotNet.Attributes;
using Intake.Media.Codecs;
using Intake.Media.Rtp;

namespace Intake.Media.Benchmarks;

/// <summary>In-process costs of the packet path without sockets.</summary>
[MemoryDiagnoser]
public class MediaPathBenchmarks
{
    private readonly byte[] _packet = new byte[172];
    private readonly byte[] _alaw = new byte[160];
    private readonly object _owner = new();
    private RtpOutboundStream _stream = null!;
    private RtpReceiveStatistics _statistics = null!;
    private ushort _seq;

    [GlobalSetup]
    public void Setup()
    {
        new RtpHeader(false, 0, 1, 160, 7).WriteTo(_packet);
        _stream = new RtpOutboundStream(new NullTransmitter(), TimeProvider.System, 1, 0, 0, AudioEncoding.Pcma);
        _stream.SetFormat(AudioEncoding.Pcma, 8, 101);
        _stream.SwitchOwner(_owner);
        _statistics = new RtpReceiveStatistics(8000);
    }

    [Benchmark]
    public bool ParseHeader() => RtpHeader.TryParse(_packet, out _, out _);

    [Benchmark]
    public RtpPacketOutcome UpdateStatistics()
    {
        _seq++;
        return _statistics.Update(7, _seq, (uint)(_seq * 160), _seq * 160L, includeInJitter: true);
    }

    [Benchmark]
    public void TranscodeFrame() => G711.Transcode(AudioEncoding.Pcmu, AudioEncoding.Pcma, _packet.AsSpan(12), _alaw);

    [Benchmark]
    public bool RewriteAndTranscode()
    {
        _seq++;
        var header = new RtpHeader(false, 0, _seq, (uint)(_seq * 160), 7);
        return _stream.SendRelayed(_owner, header, _packet.AsSpan(12), 8, PayloadTransform.PcmuToPcma, isAudio: true);
    }

    private sealed class NullTransmitter : IRtpPacketTransmitter
    {
        public bool TrySend(ReadOnlySpan<byte> packet) => true;
    }
}
