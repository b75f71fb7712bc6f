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

    private readonly IEventStore _store;
    private readonly EventHub _hub;
    private readonly GrpcApiOptions _options;
    private readonly ILogger<CallFeedService> _logger;

    public CallFeedService(IEventStore store, EventHub hub, IOptions<GrpcApiOptions> options, ILogger<CallFeedService> logger)
    {
        _store = store;
        _hub = hub;
        _options = options.Value;
        _logger = logger;
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<CallEvent> responseStream, ServerCallContext context)
    {
        var filter = WatchFilter.From(request);
        using var subscription = _hub.Subscribe(_options.WatchBufferCapacity);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, subscription.Overflowed);
        var cancellationToken = linked.Token;

        // The last sequence examined (sent or filtered out): the client's resume point if this stream ends.
        var position = request.AfterSequence;
        try
        {
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
                }

                // A short batch reached the end of the log as it was when read; later events are in the subscription.
                if (batch.Count < ReplayBatchSize)
                {
                    break;
                }
            }

            await foreach (var record in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (record.Sequence <= position)
                {
                    continue;
                }

                if (filter.Matches(record))
                {
                    await responseStream.WriteAsync(record.Event, cancellationToken).ConfigureAwait(false);
                }

                position = record.Sequence;
            }
        }
        catch (OperationCanceledException) when (subscription.HasOverflowed && !context.CancellationToken.IsCancellationRequested)
        {
            throw Overflow(context, subscription.Capacity, position);
        }

        // The reader completes only when the hub dropped the subscription.
        if (subscription.HasOverflowed)
        {
            throw Overflow(context, subscription.Capacity, position);
        }
    }

    private RpcException Overflow(ServerCallContext context, int capacity, ulong position)
    {
        LogOverflow(context.Peer, capacity, position);
        return new RpcException(new Status(StatusCode.ResourceExhausted,
            $"watcher fell more than {capacity} events behind; resume from sequence {position}"));
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Watch from {Peer} fell more than {Capacity} events behind; ended at sequence {Sequence}")]
    private partial void LogOverflow(string peer, int capacity, ulong sequence);
}
