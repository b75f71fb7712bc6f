namespace Intake.Media.Rtcp;

/// <summary>
/// What one compound RTCP packet said: the sender info of an SR (if any), up to
/// <see cref="MaxBlocks"/> report blocks, and whether a BYE was present.
/// Reused by the receive loop, so copy out what you keep.
/// </summary>
public sealed class RtcpReport
{
    /// <summary>Report blocks kept per compound packet (a point-to-point peer sends one).</summary>
    public const int MaxBlocks = 8;

    private readonly RtcpReportBlock[] _blocks = new RtcpReportBlock[MaxBlocks];

    /// <summary>SSRC of the reporting sender (SR or RR).</summary>
    public uint SenderSsrc { get; internal set; }

    /// <summary>Whether an SR was present.</summary>
    public bool HasSenderInfo { get; internal set; }

    /// <summary>The SR sender info when <see cref="HasSenderInfo"/>.</summary>
    public RtcpSenderInfo SenderInfo { get; internal set; }

    /// <summary>Whether a BYE was present.</summary>
    public bool HasGoodbye { get; internal set; }

    /// <summary>Number of valid entries in <see cref="Blocks"/>.</summary>
    public int BlockCount { get; private set; }

    /// <summary>The report blocks.</summary>
    public ReadOnlySpan<RtcpReportBlock> Blocks => _blocks.AsSpan(0, BlockCount);

    internal void Reset()
    {
        SenderSsrc = 0;
        HasSenderInfo = false;
        SenderInfo = default;
        HasGoodbye = false;
        BlockCount = 0;
    }

    internal void AddBlock(in RtcpReportBlock block)
    {
        if (BlockCount < MaxBlocks)
        {
            _blocks[BlockCount++] = block;
        }
    }
}
