namespace Intake.Media.Sdp;

/// <summary>
/// Result of <see cref="SdpNegotiator"/>: the answer and the agreed audio, or the SIP status
/// to reply with (488 Not Acceptable Here) and a Warning (RFC 3261 §20.43 code and text).
/// </summary>
public sealed record SdpNegotiationResult(
    SdpSessionDescription? Answer,
    NegotiatedAudio? Audio,
    int StatusCode,
    int WarningCode,
    string? WarningText)
{
    /// <summary>Whether a stream was agreed.</summary>
    public bool Success => Audio is not null;

    /// <summary>Warning header value, e.g. <c>305 intake.example "Incompatible media format"</c>.</summary>
    public string? FormatWarning(string agent) => WarningText is null ? null : $"{WarningCode} {agent} \"{WarningText}\"";

    internal static SdpNegotiationResult Ok(SdpSessionDescription? answer, NegotiatedAudio audio) => new(answer, audio, 200, 0, null);

    internal static SdpNegotiationResult NotAcceptable(int warningCode, string text) => new(null, null, 488, warningCode, text);
}
