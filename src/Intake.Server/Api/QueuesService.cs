using Grpc.Core;
using Intake.Contracts.V1;

namespace Intake.Server.Api;

/// <summary>Queues.GetStatus over the call controller's <see cref="IQueueStatusProvider"/>.</summary>
public sealed class QueuesService : Queues.QueuesBase
{
    private readonly IQueueStatusProvider? _provider;

    public QueuesService(IQueueStatusProvider? provider = null)
    {
        _provider = provider;
    }

    public override async Task<GetQueueStatusResponse> GetStatus(GetQueueStatusRequest request, ServerCallContext context)
    {
        if (_provider is null)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "queue statistics are not available: no call controller is wired"));
        }

        var all = await _provider.GetQueueStatusAsync(context.CancellationToken).ConfigureAwait(false);
        var response = new GetQueueStatusResponse();
        if (request.Queue.Length == 0)
        {
            response.Queues.AddRange(all);
            return response;
        }

        var one = all.FirstOrDefault(q => q.Name == request.Queue)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no queue '{request.Queue}'"));
        response.Queues.Add(one);
        return response;
    }
}
