using Grpc.Net.Client;
using Intake.Contracts.V1;
using Intake.Server.Events;
using Intake.Server.Storage;
using Microsoft.Extensions.Logging;
using Polly;

namespace Intake.Server.Dispatch;

/// <summary>
/// Delivers the event log to one sink, in order, at least once. The store is the outbox: the worker reads events
/// after its durable cursor, submits them one by one and moves the cursor only past acknowledged events, so an
/// event is never skipped, whatever the sink or the server does. After a crash the events since the last saved
/// cursor are sent again; sinks de-duplicate them by sequence.
/// </summary>
public sealed partial class DispatchSinkWorker : IDisposable
{
    private readonly IEventStore _store;
    private readonly EventHub _hub;
    private readonly IDispatchCursorStore _cursors;
    private readonly DispatchOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly GrpcChannel _channel;
    private readonly DispatchSink.DispatchSinkClient _client;
    private readonly ResiliencePipeline _pipeline;
    private ulong _acknowledged;
    private string? _lastError;

    public DispatchSinkWorker(string endpoint, IEventStore store, EventHub hub, IDispatchCursorStore cursors, DispatchOptions options, TimeProvider timeProvider, ILogger logger)
    {
        Endpoint = endpoint;
        _store = store;
        _hub = hub;
        _cursors = cursors;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(options.AttemptTimeoutSeconds),
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                EnableMultipleHttp2Connections = true,
            },
        });
        _client = new DispatchSink.DispatchSinkClient(_channel);
        _pipeline = DispatchPipeline.Create(options, timeProvider);
    }

    public string Endpoint { get; }

    public DispatchSinkStatus Status =>
        new(Endpoint, Volatile.Read(ref _acknowledged), _hub.LatestSequence, Volatile.Read(ref _lastError));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _acknowledged, await LoadCursorAsync(cancellationToken).ConfigureAwait(false));
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Taken before the read: an event published after this point wakes the wait below, and one published
                // before it was committed before the read, which therefore returns it.
                var latestBeforeRead = _hub.LatestSequence;
                var batch = await ReadBatchAsync(cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    await _hub.WaitForAppendAsync(Math.Max(latestBeforeRead, Volatile.Read(ref _acknowledged)), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                foreach (var record in batch)
                {
                    await DeliverAsync(record, cancellationToken).ConfigureAwait(false);
                    Volatile.Write(ref _acknowledged, record.Sequence);
                }

                await SaveCursorAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: keep what was acknowledged so the restart does not resend it.
            await SaveCursorAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => _channel.Dispose();

    private async Task DeliverAsync(CallEventRecord record, CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                var ack = await _pipeline.ExecuteAsync(
                    static async (state, token) => await state.Client.SubmitAsync(state.Event, cancellationToken: token).ResponseAsync.ConfigureAwait(false),
                    (Client: _client, record.Event),
                    cancellationToken).ConfigureAwait(false);
                if (ack.AcknowledgedSequence < record.Sequence)
                {
                    LogShortAck(Endpoint, record.Sequence, ack.AcknowledgedSequence);
                }

                if (Volatile.Read(ref _lastError) is not null)
                {
                    LogRecovered(Endpoint, record.Sequence);
                    Volatile.Write(ref _lastError, null);
                }

                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The pipeline gave up on this round; the event is not skipped: pause, then try it again.
                Volatile.Write(ref _lastError, ex.Message);
                LogDeliveryFailing(Endpoint, record.Sequence, round, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(_options.RetryMaxDelaySeconds), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<CallEventRecord>> ReadBatchAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await _store.ReadAfterAsync(Volatile.Read(ref _acknowledged), _options.BatchSize, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ArgumentException)
            {
                LogStoreFailing(Endpoint, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(_options.RetryMaxDelaySeconds), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<ulong> LoadCursorAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await _cursors.GetCursorAsync(Endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogStoreFailing(Endpoint, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(_options.RetryMaxDelaySeconds), _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task SaveCursorAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _cursors.SetCursorAsync(Endpoint, Volatile.Read(ref _acknowledged), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A cursor that lags behind only causes duplicates after a restart; delivery goes on.
            LogStoreFailing(Endpoint, ex.Message);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Dispatch to {Endpoint} failing at sequence {Sequence} (round {Round}): {Reason}")]
    private partial void LogDeliveryFailing(string endpoint, ulong sequence, int round, string reason);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Dispatch to {Endpoint} recovered at sequence {Sequence}")]
    private partial void LogRecovered(string endpoint, ulong sequence);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Dispatch sink {Endpoint} acknowledged {Acknowledged} after receiving sequence {Sequence}")]
    private partial void LogShortAck(string endpoint, ulong sequence, ulong acknowledged);

    [LoggerMessage(EventId = 33, Level = LogLevel.Error, Message = "Dispatch to {Endpoint} cannot use the store: {Reason}")]
    private partial void LogStoreFailing(string endpoint, string reason);
}
