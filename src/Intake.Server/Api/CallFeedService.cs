using Grpc.Core;
using Intake.Contracts.V1;
using Intake.Server.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Server.Api;

/// <summary>
/// CallFeed.Watch: subscribe to the live hub first, replay the stored log after the client's sequence, then continue
/// with the buffered live events, skipping those the replay already covered. Subscribing before replaying closes
/// the seam: an event committed during the replay is either read by it or buffered by the subscription (or both,
/// and then skipped by sequence).
/// </summary>
public sealed partial class CallFeedService : CallFeed.CallFeedBase
{
    private const int ReplayBatchSize = 500;

    /// <summary>How long a write in progress may take after the watcher overflowed, before the stream is aborted.</summary>
    private static readonly TimeSpan StalledWriteGrace = TimeSpan.FromSeconds(30);

    private readonly IEventStore _store;
    private readonly EventHub _hub;
    private readonly GrpcApiOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CallFeedService> _logger;

    public CallFeedService(IEventStore store, EventHub hub, IOptions<GrpcApiOptions> options, TimeProvider timeProvider, ILogger<CallFeedService> logger)
    {
        _timeProvider = timeProvider;
        _store = store;
        _hub = hub;
        _options = options.Value;
        _logger = logger;
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<CallEvent> responseStream, ServerCallContext context)
    {
        var filter = WatchFilter.From(request);
        using var subscription = _hub.Subscribe(_options.WatchBufferCapacity, "watch " + context.Peer, isWatchStream: true);
        subscription.Position = request.AfterSequence;

        // An overflow does not cancel the write in progress: that would reset the HTTP/2 stream and the client would
        // see CANCELLED instead of the resume point. The write gets a grace period to finish (a slow client reads
        // it and then the status); a client that reads nothing at all is cut off when the grace period ends.
        using var abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _timeProvider);
        using var overflowRegistration = subscription.Overflowed.Register(
            static state => ((CancellationTokenSource)state!).CancelAfter(StalledWriteGrace), abort);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, abort.Token);
        var cancellationToken = linked.Token;

        // The last sequence examined (sent or filtered out): the client's resume point if this stream ends.
        var position = request.AfterSequence;
        while (true)
        {
            var batch = await _store.ReadAfterAsync(position, ReplayBatchSize, cancellationToken).ConfigureAwait(false);
            foreach (var record in batch)
            {
                if (filter.Matches(record))
                {
                    await responseStream.WriteAsync(record.Event, cancellationToken).ConfigureAwait(false);
                }

                position = record.Sequence;
                ThrowIfOverflowed(subscription, context, position);
            }

            // A short batch reached the end of the log as it was when read; later events are in the subscription.
            if (batch.Count < ReplayBatchSize)
            {
                break;
            }
        }

        await foreach (var record in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (record.Sequence > position)
            {
                if (filter.Matches(record))
                {
                    await responseStream.WriteAsync(record.Event, cancellationToken).ConfigureAwait(false);
                }

                position = record.Sequence;
            }

            ThrowIfOverflowed(subscription, context, position);
        }

        // The reader completes only when the hub dropped the subscription.
        ThrowIfOverflowed(subscription, context, position);
    }

    /// <summary>Records how far the stream has got (the lag gauge reads it), then ends a stream that fell behind.</summary>
    private void ThrowIfOverflowed(EventSubscription subscription, ServerCallContext context, ulong position)
    {
        subscription.Position = position;
        if (subscription.HasOverflowed)
        {
            LogOverflow(context.Peer, subscription.Capacity, position);
            throw new RpcException(new Status(StatusCode.ResourceExhausted,
                $"watcher fell more than {subscription.Capacity} events behind; resume from sequence {position}"));
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Watch from {Peer} fell more than {Capacity} events behind; ended at sequence {Sequence}")]
    private partial void LogOverflow(string peer, int capacity, ulong sequence);
}
