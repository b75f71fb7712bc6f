using Grpc.Core;
using Grpc.Health.V1;
using Intake.Contracts.V1;

namespace Intake.Server.Tests.Api;

public sealed class ApiKeyAuthTests : IAsyncLifetime
{
    private ApiTestHost? _host;

    private ApiTestHost Host => _host!;

    public async Task InitializeAsync() =>
        _host = await ApiTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Grpc:ApiKeys:0"] = "first-key",
            ["Grpc:ApiKeys:1"] = "second-key",
        });

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task GetCall_NoAuthorization_Unauthenticated()
    {
        var client = new Intake.Contracts.V1.Calls.CallsClient(Host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetCallAsync(new GetCallRequest { CallId = "c1" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task GetCall_WrongKey_Unauthenticated()
    {
        var client = new Intake.Contracts.V1.Calls.CallsClient(Host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            client.GetCallAsync(new GetCallRequest { CallId = "c1" }, ApiTestHost.Bearer("first-keyX")).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task GetCall_EitherConfiguredKey_PassesAuthentication()
    {
        var client = new Intake.Contracts.V1.Calls.CallsClient(Host.Channel);

        foreach (var key in new[] { "first-key", "second-key" })
        {
            // NOT_FOUND comes from the service itself: the call got past the interceptor.
            var error = await Assert.ThrowsAsync<RpcException>(() =>
                client.GetCallAsync(new GetCallRequest { CallId = "c1" }, ApiTestHost.Bearer(key)).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, error.StatusCode);
        }
    }

    [Fact]
    public async Task Watch_NoAuthorization_UnauthenticatedBeforeAnyEvent()
    {
        await Host.AppendManyAsync(3);
        using var cts = TestTimeouts.Cancel();
        using var call = new CallFeed.CallFeedClient(Host.Channel).Watch(new WatchRequest(), cancellationToken: cts.Token);

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Watch_RightKey_StreamsEvents()
    {
        await Host.AppendManyAsync(3);
        using var cts = TestTimeouts.Cancel();
        using var call = new CallFeed.CallFeedClient(Host.Channel).Watch(new WatchRequest(), ApiTestHost.Bearer("second-key"), cancellationToken: cts.Token);

        Assert.True(await call.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(1UL, call.ResponseStream.Current.Sequence);
    }

    [Fact]
    public async Task HealthCheck_NoAuthorization_Serving()
    {
        var health = new Health.HealthClient(Host.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }
}
