using Intake.Contracts.V1;
using Intake.Media.Rtp;

namespace Intake.Server.Calls;

/// <summary>A leg's RTP figures as dispatch reads them in the ended event.</summary>
public static class LegQualityMapper
{
    public static LegQuality ToLegQuality(RtpQualitySnapshot? snapshot) => snapshot is not { } q
        ? new LegQuality()
        : new LegQuality
        {
            PacketsReceived = (ulong)Math.Max(0, q.PacketsReceived),
            PacketsLost = (ulong)Math.Max(0, q.PacketsLost),
            JitterMs = q.JitterMilliseconds,
            RttMs = q.RoundTripMilliseconds ?? 0,
        };
}
