using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = Intake.Contracts.V1;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// A dispatch console's view of the real server: one CallFeed.Watch stream over HTTP/2 on loopback, read in the
/// background into a list that tests wait on. Disposing it drops the stream like a lost connection.
/// </summary>
internal sealed class FeedWatcher : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncServerStreamingCall<V1.CallEvent> _call;
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
    private readonly List<V1.CallEvent> _events = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Task _reader;
    private Exception? _failure;
    private int _disposed;

    private FeedWatcher(int grpcPort, ulong afterSequence, string? apiKey, Action<V1.CallEvent>? onEvent)
    {
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var client = new V1.CallFeed.CallFeedClient(_channel);
        var headers = apiKey is null ? null : new Metadata { { "authorization", "Bearer " + apiKey } };
        _call = client.Watch(new V1.WatchRequest { AfterSequence = afterSequence }, headers, cancellationToken: _stop.Token);
        _reader = ReadAsync(onEvent);
    }

    /// <summary>Opens Watch after <paramref name="afterSequence"/>; <paramref name="onEvent"/> runs on the reader as each event arrives.</summary>
    public static FeedWatcher Start(int grpcPort, ulong afterSequence = 0, string? apiKey = null, Action<V1.CallEvent>? onEvent = null) =>
        new(grpcPort, afterSequence, apiKey, onEvent);

    public List<V1.CallEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Why the stream ended, if it did (an RpcException for a refused call).</summary>
    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Waits until <paramref name="condition"/> holds for the events so far; fails with them listed on timeout or stream error.</summary>
    public async Task<List<V1.CallEvent>> WaitForAsync(Func<List<V1.CallEvent>, bool> condition, TimeSpan timeout, string what)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var events = Events;
            if (condition(events))
            {
                return events;
            }

            if (Failure is { } failure)
            {
                throw new InvalidOperationException($"the feed ended before {what}: {failure.Message}\n{Describe(events)}", failure);
            }

            var left = timeout - waited.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no {what} within {timeout}:\n{Describe(events)}");
            }

            await _signal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits (bounded) for the stream to end and returns why; null if it is still open.</summary>
    public async Task<Exception?> WaitForEndAsync(TimeSpan timeout)
    {
        await Task.WhenAny(_reader, Task.Delay(timeout));
        return Failure;
    }

    public static string Describe(IEnumerable<V1.CallEvent> events) =>
        string.Join('\n', events.Select(e => $"  #{e.Sequence} {e.KindCase} call={e.CallId}"));

    private async Task ReadAsync(Action<V1.CallEvent>? onEvent)
    {
        try
        {
            await foreach (var evt in _call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                onEvent?.Invoke(evt);
                lock (_gate)
                {
                    _events.Add(evt);
                }

                _signal.Release();
            }

            Volatile.Write(ref _failure, new InvalidOperationException("the server ended the stream"));
        }
        catch (Exception ex)
        {
            Volatile.Write(ref _failure, ex);
        }

        _signal.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await _reader;
        _call.Dispose();
        _channel.Dispose();
        _stop.Dispose();
        _signal.Dispose();
    }
}
