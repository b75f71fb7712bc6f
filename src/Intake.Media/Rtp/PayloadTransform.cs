namespace Intake.Media.Rtp;

/// <summary>What the relay does to a payload on its way between legs.</summary>
public enum PayloadTransform
{
    /// <summary>Bytes unchanged (same codec, or telephone-event).</summary>
    Copy,

    /// <summary>G.711 µ-law to A-law.</summary>
    PcmuToPcma,

    /// <summary>G.711 A-law to µ-law.</summary>
    PcmaToPcmu,
}
