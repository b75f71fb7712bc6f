namespace Intake.Server.Dispatch;

/// <summary>Where one sink's delivery stands; <see cref="Lag"/> is how many events it has not acknowledged yet.</summary>
public sealed record DispatchSinkStatus(string Endpoint, ulong Acknowledged, ulong Latest, string? LastError)
{
    public ulong Lag => Latest > Acknowledged ? Latest - Acknowledged : 0;
}
