using Intake.Media.Rtp;

namespace Intake.Media.Tests.TestSupport;

/// <summary>Records every packet an outbound stream sends.</summary>
internal sealed class CapturingTransmitter : IRtpPacketTransmitter
{
    public List<(RtpHeader Header, byte[] Payload)> Packets { get; } = [];

    public bool TrySend(ReadOnlySpan<byte> packet)
    {
        Assert.True(RtpHeader.TryParse(packet, out var header, out _));
        Packets.Add((header, header.GetPayload(packet).ToArray()));
        return true;
    }
}
