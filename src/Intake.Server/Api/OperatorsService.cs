using Grpc.Core;
using Intake.Contracts.V1;

namespace Intake.Server.Api;

/// <summary>Operators.List/SetState over the call controller's <see cref="IOperatorDirectory"/>.</summary>
public sealed class OperatorsService : Contracts.V1.Operators.OperatorsBase
{
    private readonly IOperatorDirectory? _directory;

    public OperatorsService(IOperatorDirectory? directory = null)
    {
        _directory = directory;
    }

    public override async Task<ListOperatorsResponse> List(ListOperatorsRequest request, ServerCallContext context)
    {
        var directory = RequireDirectory();
        var response = new ListOperatorsResponse();
        response.Operators.AddRange(await directory.ListOperatorsAsync(context.CancellationToken).ConfigureAwait(false));
        return response;
    }

    public override async Task<OperatorInfo> SetState(SetOperatorStateRequest request, ServerCallContext context)
    {
        if (request.Username.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "username is required"));
        }

        var directory = RequireDirectory();
        var reason = request.Ready ? string.Empty : request.Reason;
        var change = await directory.SetStateAsync(request.Username, request.Ready, reason, context.CancellationToken).ConfigureAwait(false);
        return change.Status switch
        {
            OperatorStateChangeStatus.Changed when change.Operator is not null => change.Operator,
            OperatorStateChangeStatus.UnknownOperator => throw new RpcException(new Status(StatusCode.NotFound, change.Detail)),
            _ => throw new RpcException(new Status(StatusCode.FailedPrecondition, change.Detail)),
        };
    }

    private IOperatorDirectory RequireDirectory() =>
        _directory ?? throw new RpcException(new Status(StatusCode.Unavailable, "operators are not available: no call controller is wired"));
}
