namespace Intake.Media.Codecs;

/// <summary>The narrowband audio encodings Intake can send, receive, transcode and record.</summary>
public enum AudioEncoding
{
    /// <summary>G.711 µ-law, RTP static payload type 0 (RFC 3551).</summary>
    Pcmu = 0,

    /// <summary>G.711 A-law, RTP static payload type 8 (RFC 3551).</summary>
    Pcma = 8,
}
