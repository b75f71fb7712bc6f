namespace Intake.Server.Dispatch;

/// <summary>Delivery state of every configured sink, for status pages and metrics.</summary>
public interface IDispatchStatus
{
    IReadOnlyList<DispatchSinkStatus> GetSinks();
}
