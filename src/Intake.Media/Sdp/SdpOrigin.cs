namespace Intake.Media.Sdp;

/// <summary>The o= line. The session version must grow with each new offer or answer in a dialog.</summary>
public sealed record SdpOrigin(string UserName, ulong SessionId, ulong SessionVersion, SdpConnection Address)
{
    /// <inheritdoc />
    public override string ToString() => $"{UserName} {SessionId} {SessionVersion} {Address}";
}
