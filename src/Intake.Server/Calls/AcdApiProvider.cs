using Intake.Acd;
using Intake.Acd.Engine;
using Intake.Contracts.V1;
using Intake.Server.Api;
using Intake.Server.Operators;

namespace Intake.Server.Calls;

/// <summary>The live ACD as the gRPC API shows it: queue statistics, operators and their states, ready/not-ready.</summary>
public sealed class AcdApiProvider(AcdEngine acd, OperatorDirectory operators) : IQueueStatusProvider, Api.IOperatorDirectory
{
    public ValueTask<IReadOnlyList<QueueStatus>> GetQueueStatusAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<QueueStatus> result = [.. acd.GetStatistics().Select(s =>
        {
            var status = new QueueStatus
            {
                Name = s.Queue,
                CallsWaiting = (uint)s.Waiting,
                LongestWaitSeconds = s.LongestCurrentWait.TotalSeconds,
                Offered = (ulong)s.Offered,
                Answered = (ulong)s.Answered,
                Abandoned = (ulong)s.Abandoned,
                Overflowed = (ulong)s.Overflowed,
                AverageSpeedOfAnswerSeconds = s.AverageSpeedOfAnswer?.TotalSeconds ?? 0,
            };
            status.ServiceLevels.AddRange(s.ServiceLevels.Select(l => new Contracts.V1.ServiceLevel
            {
                ThresholdSeconds = (uint)l.ThresholdSeconds,
                Percent = l.Percent ?? 0,
            }));
            foreach (var (state, count) in s.OperatorsByState)
            {
                status.OperatorsByState[CallController.OperatorStateText(state)] = (uint)count;
            }

            return status;
        })];
        return ValueTask.FromResult(result);
    }

    public ValueTask<IReadOnlyList<OperatorInfo>> ListOperatorsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<OperatorInfo> result = [.. acd.GetOperators().Select(ToInfo)];
        return ValueTask.FromResult(result);
    }

    public ValueTask<OperatorStateChange> SetStateAsync(string username, bool ready, string reason, CancellationToken cancellationToken)
    {
        var outcome = ready ? acd.SetReady(username) : acd.SetNotReady(username, string.IsNullOrWhiteSpace(reason) ? "not ready" : reason);
        var change = outcome switch
        {
            AcdResult.Ok => acd.GetOperator(username) is { } snapshot
                ? OperatorStateChange.Changed(ToInfo(snapshot))
                : OperatorStateChange.UnknownOperator(username),
            AcdResult.UnknownOperator => OperatorStateChange.UnknownOperator(username),
            _ => OperatorStateChange.Rejected($"{username}: {outcome}"),
        };
        return ValueTask.FromResult(change);
    }

    private OperatorInfo ToInfo(Intake.Acd.Operators.AcdOperatorSnapshot snapshot)
    {
        var info = new OperatorInfo
        {
            Username = snapshot.Username,
            DisplayName = snapshot.DisplayName ?? "",
            State = CallController.OperatorStateText(snapshot.State),
            Reason = snapshot.Reason ?? "",
            CallId = snapshot.CallId ?? snapshot.OfferedCallId ?? "",
        };
        info.Queues.AddRange(snapshot.Queues);
        info.Contacts.AddRange(operators.GetBindings(snapshot.Username).Select(b => b.Contact.ToString()));
        return info;
    }
}
