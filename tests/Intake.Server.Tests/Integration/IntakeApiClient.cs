using Grpc.Core;
using Grpc.Net.Client;
using Intake.Contracts.V1;

namespace Intake.Server.Tests.Integration;

/// <summary>The real server's gRPC API as a dispatch system sees it: the call feed, calls, operators.</summary>
public sealed class IntakeApiClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public IntakeApiClient(IntakeServerProcess server)
    {
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        Calls = new global::Intake.Contracts.V1.Calls.CallsClient(_channel);
        Feed = new CallFeed.CallFeedClient(_channel);
        Operators = new global::Intake.Contracts.V1.Operators.OperatorsClient(_channel);
    }

    public global::Intake.Contracts.V1.Calls.CallsClient Calls { get; }

    public CallFeed.CallFeedClient Feed { get; }

    public global::Intake.Contracts.V1.Operators.OperatorsClient Operators { get; }

    /// <summary>
    /// Reads the feed from its start until <paramref name="done"/> holds for the events read so far; a timeout fails
    /// with every event seen, so the test shows what did happen.
    /// </summary>
    public async Task<IReadOnlyList<CallEvent>> EventsUntilAsync(Func<IReadOnlyList<CallEvent>, bool> done, TimeSpan timeout)
    {
        var events = new List<CallEvent>();
        using var cts = new CancellationTokenSource(timeout);
        using var watch = Feed.Watch(new WatchRequest { AfterSequence = 0 }, cancellationToken: cts.Token);
        try
        {
            while (await watch.ResponseStream.MoveNext(cts.Token))
            {
                events.Add(watch.ResponseStream.Current);
                if (done(events))
                {
                    return events;
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled || cts.IsCancellationRequested)
        {
            throw new TimeoutException($"the feed did not reach the expected events within {timeout}:\n{Describe(events)}", ex);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"the feed did not reach the expected events within {timeout}:\n{Describe(events)}", ex);
        }

        throw new InvalidOperationException("the feed ended:\n" + Describe(events));
    }

    /// <summary>Waits until <paramref name="count"/> events of the kind exist.</summary>
    public Task<IReadOnlyList<CallEvent>> EventsUntilAsync(CallEvent.KindOneofCase kind, int count, TimeSpan timeout) =>
        EventsUntilAsync(events => events.Count(e => e.KindCase == kind) >= count, timeout);

    /// <summary>One line per event, for failure messages.</summary>
    public static string Describe(IEnumerable<CallEvent> events) =>
        string.Join('\n', events.Select(e => $"#{e.Sequence} {e.CallId} {e.KindCase}: {e}"));

    /// <summary>Polls Operators.List until the operator is in <paramref name="state"/>; returns its last snapshot.</summary>
    public async Task<OperatorInfo> OperatorInStateAsync(string username, string state, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        OperatorInfo? last = null;
        while (waited.Elapsed < timeout)
        {
            var list = await Operators.ListAsync(new ListOperatorsRequest());
            last = list.Operators.FirstOrDefault(o => o.Username == username);
            if (last?.State == state)
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"operator {username} not '{state}' within {timeout}; last seen: {last}");
    }

    public void Dispose() => _channel.Dispose();
}
