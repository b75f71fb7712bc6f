using Grpc.Core;
using Intake.Contracts.V1;
using Intake.Server.Api;
using Intake.Server.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Server.Tests.Api;

public sealed class CallsServiceTests
{
    [Fact]
    public async Task GetCall_KnownCall_ReturnsRowAndEventsInOrder()
    {
        await using var host = await ApiTestHost.StartAsync();
        await host.Events.AppendAsync(TestEvents.Offered("c1", "fire", "+212622"));
        await host.Events.AppendAsync(TestEvents.OperatorState("alice", "ringing"));
        await host.Events.AppendAsync(TestEvents.Answered("c1", "alice"));

        var call = await new Intake.Contracts.V1.Calls.CallsClient(host.Channel).GetCallAsync(new GetCallRequest { CallId = "c1" });

        Assert.Equal("answered", call.State);
        Assert.Equal("fire", call.Queue);
        Assert.Equal("+212622", call.CallerNumber);
        Assert.Equal("alice", call.Operator);
        Assert.Equal([1UL, 3UL], call.Events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ListCalls_PageTokens_WalkEveryCallOnce()
    {
        await using var host = await ApiTestHost.StartAsync();
        for (var i = 0; i < 7; i++)
        {
            await host.Events.AppendAsync(TestEvents.Offered($"c{i}", at: TestEvents.Epoch.AddSeconds(i)));
        }

        var client = new Intake.Contracts.V1.Calls.CallsClient(host.Channel);
        var ids = new List<string>();
        var token = string.Empty;
        for (var page = 0; page < 5; page++)
        {
            var response = await client.ListCallsAsync(new ListCallsRequest { PageSize = 3, PageToken = token });
            ids.AddRange(response.Calls.Select(c => c.CallId));
            token = response.NextPageToken;
            if (token.Length == 0)
            {
                break;
            }
        }

        Assert.Equal(["c6", "c5", "c4", "c3", "c2", "c1", "c0"], ids);
    }

    [Fact]
    public async Task ListCalls_ForgedPageToken_InvalidArgument()
    {
        await using var host = await ApiTestHost.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Intake.Contracts.V1.Calls.CallsClient(host.Channel).ListCallsAsync(new ListCallsRequest { PageToken = "not-a-token" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Callback_NoDialerWired_Unavailable()
    {
        await using var host = await ApiTestHost.StartAsync();
        await host.Events.AppendAsync(TestEvents.Abandoned("c1"));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Intake.Contracts.V1.Calls.CallsClient(host.Channel).CallbackAsync(new CallbackRequest { CallId = "c1", Operator = "alice" }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Callback_AbandonedCall_DialsAndReturnsNewCallId()
    {
        var dialer = new RecordingDialer();
        await using var host = await ApiTestHost.StartAsync(configureServices: s => s.AddSingleton<ICallbackDialer>(dialer));
        await host.Events.AppendAsync(TestEvents.Offered("c1", caller: "+212633"));
        await host.Events.AppendAsync(TestEvents.Abandoned("c1"));
        var client = new Intake.Contracts.V1.Calls.CallsClient(host.Channel);

        var response = await client.CallbackAsync(new CallbackRequest { CallId = "c1", Operator = "alice" });

        Assert.Equal("cb-1", response.CallbackCallId);
        Assert.Equal(("c1", "+212633", "alice"), dialer.Dialled.Single());
    }

    [Fact]
    public async Task Callback_AnsweredCall_FailedPrecondition()
    {
        await using var host = await ApiTestHost.StartAsync(configureServices: s => s.AddSingleton<ICallbackDialer>(new RecordingDialer()));
        await host.Events.AppendAsync(TestEvents.Answered("c1"));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Intake.Contracts.V1.Calls.CallsClient(host.Channel).CallbackAsync(new CallbackRequest { CallId = "c1", Operator = "alice" }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    private sealed class RecordingDialer : ICallbackDialer
    {
        public List<(string CallId, string Caller, string Operator)> Dialled { get; } = [];

        public ValueTask<CallbackResult> DialAsync(Call abandonedCall, string operatorUsername, CancellationToken cancellationToken)
        {
            Dialled.Add((abandonedCall.CallId, abandonedCall.CallerNumber, operatorUsername));
            return ValueTask.FromResult(CallbackResult.Started($"cb-{Dialled.Count}"));
        }
    }
}
