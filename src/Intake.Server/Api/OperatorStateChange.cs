using Intake.Contracts.V1;

namespace Intake.Server.Api;

/// <summary>The outcome of a state change request: the operator as it now is, or why nothing changed.</summary>
public sealed record OperatorStateChange(OperatorStateChangeStatus Status, OperatorInfo? Operator, string Detail)
{
    public static OperatorStateChange Changed(OperatorInfo info) => new(OperatorStateChangeStatus.Changed, info, string.Empty);

    public static OperatorStateChange UnknownOperator(string username) =>
        new(OperatorStateChangeStatus.UnknownOperator, null, $"no operator '{username}'");

    /// <summary>The state does not allow it now (e.g. on a call, logged out); <paramref name="detail"/> says why.</summary>
    public static OperatorStateChange Rejected(string detail) => new(OperatorStateChangeStatus.Rejected, null, detail);
}
