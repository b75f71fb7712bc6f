using Grpc.Core;
using Intake.Contracts.V1;
using Intake.Server.Storage;

namespace Intake.Server.Api;

/// <summary>Calls: queries over the call table, and call-backs through the call controller's <see cref="ICallbackDialer"/>.</summary>
public sealed class CallsService : Contracts.V1.Calls.CallsBase
{
    private readonly ICallStore _calls;
    private readonly ICallbackDialer? _dialer;

    public CallsService(ICallStore calls, ICallbackDialer? dialer = null)
    {
        _calls = calls;
        _dialer = dialer;
    }

    public override async Task<Call> GetCall(GetCallRequest request, ServerCallContext context)
    {
        RequireCallId(request.CallId);
        return await _calls.GetCallAsync(request.CallId, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no call '{request.CallId}'"));
    }

    public override async Task<ListCallsResponse> ListCalls(ListCallsRequest request, ServerCallContext context)
    {
        CallPageToken? after = null;
        if (request.PageToken.Length > 0 && !CallPageToken.TryDecode(request.PageToken, out after))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "page_token is not one this server handed out"));
        }

        var query = new CallQuery
        {
            From = request.From?.ToDateTimeOffset(),
            To = request.To?.ToDateTimeOffset(),
            State = request.State,
            CallerNumber = request.CallerNumber,
            Queue = request.Queue,
            PageSize = request.PageSize == 0 ? CallQuery.DefaultPageSize : (int)Math.Min(request.PageSize, CallQuery.MaxPageSize),
            After = after,
        };
        var page = await _calls.ListCallsAsync(query, context.CancellationToken).ConfigureAwait(false);
        var response = new ListCallsResponse { NextPageToken = page.Next?.Encode() ?? string.Empty };
        response.Calls.AddRange(page.Calls);
        return response;
    }

    public override async Task<CallbackResponse> Callback(CallbackRequest request, ServerCallContext context)
    {
        RequireCallId(request.CallId);
        if (request.Operator.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "operator is required"));
        }

        if (_dialer is null)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "call-backs are not available: no call controller is wired to place them"));
        }

        var call = await _calls.GetCallAsync(request.CallId, context.CancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"no call '{request.CallId}'"));
        if (call.State != "abandoned")
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"call '{call.CallId}' is {call.State}, not abandoned"));
        }

        var result = await _dialer.DialAsync(call, request.Operator, context.CancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            CallbackStatus.Started => new CallbackResponse { CallbackCallId = result.CallbackCallId },
            CallbackStatus.UnknownOperator => throw new RpcException(new Status(StatusCode.NotFound, result.Detail)),
            CallbackStatus.OperatorNotReady => throw new RpcException(new Status(StatusCode.FailedPrecondition, result.Detail)),
            _ => throw new RpcException(new Status(StatusCode.Unavailable, result.Detail)),
        };
    }

    private static void RequireCallId(string callId)
    {
        if (callId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "call_id is required"));
        }
    }
}
