namespace Intake.Media.Sdp;

/// <summary>Outcome of parsing an SDP body: the description, or why it is not acceptable (answer 400 or 488).</summary>
public sealed record SdpParseResult(SdpSessionDescription? Description, string? Error)
{
    /// <summary>Whether parsing succeeded.</summary>
    public bool Success => Description is not null;
}
