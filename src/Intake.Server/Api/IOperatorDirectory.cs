using Intake.Contracts.V1;

namespace Intake.Server.Api;

/// <summary>The operators and their states, for Operators.List/SetState; implemented by the call controller over the ACD.</summary>
public interface IOperatorDirectory
{
    ValueTask<IReadOnlyList<OperatorInfo>> ListOperatorsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Makes the operator ready (available) or not ready with <paramref name="reason"/>. The implementation appends the
    /// resulting <c>operator_state</c> event itself, like every other state change.
    /// </summary>
    ValueTask<OperatorStateChange> SetStateAsync(string username, bool ready, string reason, CancellationToken cancellationToken);
}
