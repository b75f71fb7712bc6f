using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Intake.Contracts.V1;

namespace Intake.Feed.Benchmarks;

/// <summary>One dispatch console: its own HTTP/2 connection and Watch stream; timestamps every event as it arrives.</summary>
internal sealed class FeedConsumer : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _events;
    private long _firstTimestamp;
    private long _lastTimestamp;
    private long _recordings;

    public FeedConsumer(int grpcPort, ulong afterSequence)
    {
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var call = new CallFeed.CallFeedClient(_channel).Watch(new WatchRequest { AfterSequence = afterSequence }, cancellationToken: _stop.Token);
        _reader = ReadAsync(call);
    }

    /// <summary>SIP Call-ID of each offered call -> Stopwatch timestamp when its offered event arrived here.</summary>
    public ConcurrentDictionary<string, long> OfferedAt { get; } = new(StringComparer.Ordinal);

    public long EventCount => Interlocked.Read(ref _events);

    public ulong LastSequence { get; private set; }

    public long RecordingCount => Interlocked.Read(ref _recordings);

    public Exception? Failure { get; private set; }

    /// <summary>Seconds between the first and the last event received.</summary>
    public double ActiveSeconds => Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstTimestamp), Interlocked.Read(ref _lastTimestamp)).TotalSeconds;

    private async Task ReadAsync(AsyncServerStreamingCall<CallEvent> call)
    {
        try
        {
            await foreach (var evt in call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                var now = Stopwatch.GetTimestamp();
                if (Interlocked.Increment(ref _events) == 1)
                {
                    Interlocked.Exchange(ref _firstTimestamp, now);
                }

                Interlocked.Exchange(ref _lastTimestamp, now);
                LastSequence = evt.Sequence;
                if (evt.KindCase == CallEvent.KindOneofCase.Offered)
                {
                    OfferedAt.TryAdd(evt.Offered.SipCallId, now);
                }
                else if (evt.KindCase == CallEvent.KindOneofCase.Recording)
                {
                    Interlocked.Increment(ref _recordings);
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
        {
            // Stopped by DisposeAsync.
        }
        catch (OperationCanceledException)
        {
            // Stopped by DisposeAsync.
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
        finally
        {
            call.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _channel.Dispose();
        _stop.Dispose();
    }
}
