using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Intake.Server.Api;

/// <summary>
/// Refuses calls without a configured API key (<c>Grpc:ApiKeys</c>) as UNAUTHENTICATED. Health checks stay open so
/// that load balancers and orchestrators can probe without a secret; they reveal nothing but serving/not serving.
/// </summary>
public sealed class ApiKeyInterceptor : Interceptor
{
    private const string OpenServicePrefix = "/grpc.health.v1.Health/";
    private const string BearerPrefix = "Bearer ";

    private readonly byte[][] _keys;

    public ApiKeyInterceptor(IOptions<GrpcApiOptions> options)
    {
        _keys = [.. options.Value.ApiKeys.Select(Encoding.UTF8.GetBytes)];
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (_keys.Length == 0 || context.Method.StartsWith(OpenServicePrefix, StringComparison.Ordinal))
        {
            return;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "missing 'authorization: Bearer <api key>' metadata"));
        }

        var presented = Encoding.UTF8.GetBytes(header[BearerPrefix.Length..].Trim());
        var match = false;
        foreach (var key in _keys)
        {
            // Compare every key in constant time so the response time tells nothing about near misses.
            match |= CryptographicOperations.FixedTimeEquals(presented, key);
        }

        if (!match)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "unknown API key"));
        }
    }
}
