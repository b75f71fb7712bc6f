using Grpc.Core;
using Intake.Contracts.V1;
using Intake.Server.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Server.Tests.Api;

public sealed class QueuesAndOperatorsServiceTests
{
    [Fact]
    public async Task GetStatus_NoProviderWired_Unavailable()
    {
        await using var host = await ApiTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => new Queues.QueuesClient(host.Channel).GetStatusAsync(new GetQueueStatusRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task GetStatus_OneQueueByName_ReturnsOnlyThatQueueOrNotFound()
    {
        await using var host = await ApiTestHost.StartAsync(configureServices: s => s.AddSingleton<IQueueStatusProvider>(new FixedQueues()));
        var client = new Queues.QueuesClient(host.Channel);

        var fire = await client.GetStatusAsync(new GetQueueStatusRequest { Queue = "fire" });
        var all = await client.GetStatusAsync(new GetQueueStatusRequest());
        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetStatusAsync(new GetQueueStatusRequest { Queue = "navy" }).ResponseAsync);

        Assert.Equal(3u, Assert.Single(fire.Queues).CallsWaiting);
        Assert.Equal(["police", "fire"], all.Queues.Select(q => q.Name));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task SetState_DirectoryOutcomes_MapToStatusCodes()
    {
        await using var host = await ApiTestHost.StartAsync(configureServices: s => s.AddSingleton<IOperatorDirectory>(new FixedOperators()));
        var client = new Contracts.V1.Operators.OperatorsClient(host.Channel);

        var alice = await client.SetStateAsync(new SetOperatorStateRequest { Username = "alice", Ready = false, Reason = "break" });
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.SetStateAsync(new SetOperatorStateRequest { Username = "zed", Ready = true }).ResponseAsync);
        var busy = await Assert.ThrowsAsync<RpcException>(() => client.SetStateAsync(new SetOperatorStateRequest { Username = "bob", Ready = true }).ResponseAsync);
        var list = await client.ListAsync(new ListOperatorsRequest());

        Assert.Equal("not-ready", alice.State);
        Assert.Equal("break", alice.Reason);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, busy.StatusCode);
        Assert.Equal(["alice", "bob"], list.Operators.Select(o => o.Username));
    }

    [Fact]
    public async Task List_NoDirectoryWired_Unavailable()
    {
        await using var host = await ApiTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => new Contracts.V1.Operators.OperatorsClient(host.Channel).ListAsync(new ListOperatorsRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    private sealed class FixedQueues : IQueueStatusProvider
    {
        public ValueTask<IReadOnlyList<QueueStatus>> GetQueueStatusAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<QueueStatus>>([new QueueStatus { Name = "police", CallsWaiting = 1 }, new QueueStatus { Name = "fire", CallsWaiting = 3 }]);
    }

    private sealed class FixedOperators : IOperatorDirectory
    {
        public ValueTask<IReadOnlyList<OperatorInfo>> ListOperatorsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<OperatorInfo>>([new OperatorInfo { Username = "alice" }, new OperatorInfo { Username = "bob", State = "on-call" }]);

        public ValueTask<OperatorStateChange> SetStateAsync(string username, bool ready, string reason, CancellationToken cancellationToken) =>
            ValueTask.FromResult(username switch
            {
                "alice" => OperatorStateChange.Changed(new OperatorInfo { Username = "alice", State = ready ? "available" : "not-ready", Reason = reason }),
                "bob" => OperatorStateChange.Rejected("bob is on a call"),
                _ => OperatorStateChange.UnknownOperator(username),
            });
    }
}
