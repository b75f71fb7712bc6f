using Grpc.Core;
using Intake.Contracts.V1;
using Intake.Server.Events;

namespace Intake.Server.Api;

/// <summary>A Watch request's queue and kind filters; operator events (no call id) pass the queue filter.</summary>
public sealed class WatchFilter
{
    private readonly HashSet<string> _queues;
    private readonly HashSet<string> _kinds;

    private WatchFilter(HashSet<string> queues, HashSet<string> kinds)
    {
        _queues = queues;
        _kinds = kinds;
    }

    /// <summary>The filter of <paramref name="request"/>; an unknown kind is INVALID_ARGUMENT naming the valid ones.</summary>
    public static WatchFilter From(WatchRequest request)
    {
        foreach (var kind in request.Kinds)
        {
            if (!CallEventKinds.TryParse(kind, out _))
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"unknown event kind '{kind}'; known kinds: {string.Join(", ", CallEventKinds.All)}"));
            }
        }

        return new WatchFilter(new HashSet<string>(request.Queues, StringComparer.Ordinal), new HashSet<string>(request.Kinds, StringComparer.Ordinal));
    }

    public bool Matches(CallEventRecord record)
    {
        if (_kinds.Count > 0 && !_kinds.Contains(record.Kind))
        {
            return false;
        }

        return _queues.Count == 0 || record.Event.CallId.Length == 0 || _queues.Contains(record.Queue);
    }
}
