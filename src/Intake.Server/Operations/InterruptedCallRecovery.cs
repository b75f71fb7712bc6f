using System.Security.Cryptography;
using Google.Protobuf.WellKnownTypes;
using Intake.Contracts.V1;
using Intake.Server.Calls;
using Intake.Server.Events;
using Intake.Server.Observability;
using Intake.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NAudio.Wave;

namespace Intake.Server.Operations;

/// <summary>
/// Crash recovery at start, before SIP listens: calls the previous run left unfinished (it was killed, or the
/// machine lost power) are closed as <c>interrupted</c> by the server, so dispatch and the call list do not show
/// them in progress forever. Their recordings were already repaired by <see cref="CallMedia"/>; one that was never
/// announced is stored and announced now. The events are committed before the server takes calls.
/// </summary>
public sealed class InterruptedCallRecovery(
    ICallStore calls,
    IEventStore events,
    CallMedia media,
    IntakeMetrics metrics,
    TimeProvider time,
    ILogger<InterruptedCallRecovery> logger) : IHostedService
{
    /// <summary>States of a call that has not ended (see <see cref="CallProjection"/>).</summary>
    public static readonly IReadOnlyList<string> UnfinishedStates = ["offered", "queued", "ringing", "answered", "overflowed"];

    /// <summary>A crash can only leave as many calls as one run held; this bounds a corrupt table's reading.</summary>
    private const int MaxPages = 1000;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var closed = 0;
        var published = 0;
        foreach (var call in await FindUnfinishedAsync(cancellationToken).ConfigureAwait(false))
        {
            OperationsLog.CallInterrupted(logger, call.CallId, call.State);
            await AppendAsync(call.CallId, new CallEvent
            {
                Ended = new CallEnded
                {
                    HungUpBy = "server",
                    Outcome = "interrupted",
                    Operator = call.Operator,
                    QueueSeconds = call.AnsweredAt is null && call.ArrivedAt is { } arrived
                        ? Math.Max(0, (time.GetUtcNow() - arrived.ToDateTimeOffset()).TotalSeconds)
                        : 0,
                },
            }, null, cancellationToken).ConfigureAwait(false);
            metrics.CallEnded("interrupted");
            closed++;
            if (call.RecordingId.Length == 0 && await PublishRecordingAsync(call.CallId, cancellationToken).ConfigureAwait(false))
            {
                published++;
            }
        }

        OperationsLog.RecoveryDone(logger, closed, published);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<List<Call>> FindUnfinishedAsync(CancellationToken cancellationToken)
    {
        var found = new List<Call>();
        foreach (var state in UnfinishedStates)
        {
            CallPageToken? after = null;
            for (var page = 0; page < MaxPages; page++)
            {
                var result = await calls.ListCallsAsync(new CallQuery { State = state, PageSize = CallQuery.MaxPageSize, After = after }, cancellationToken)
                    .ConfigureAwait(false);
                found.AddRange(result.Calls);
                if (result.Next is null)
                {
                    break;
                }

                after = result.Next;
            }
        }

        return found;
    }

    private async Task<bool> PublishRecordingAsync(string callId, CancellationToken cancellationToken)
    {
        // The recorder names the file after the call (CallMedia.StartRecorder).
        var path = Path.Combine(media.RecordingsDirectory, callId + ".wav");
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            TimeSpan duration;
            long size;
            string sha256;
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                size = file.Length;
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
                file.Position = 0;
                using var reader = new WaveFileReader(file);
                duration = reader.TotalTime;
            }

            var now = time.GetUtcNow();
            await AppendAsync(callId, new CallEvent
            {
                Recording = new RecordingAvailable
                {
                    RecordingId = callId,
                    DurationSeconds = duration.TotalSeconds,
                    SizeBytes = (ulong)size,
                    Sha256 = sha256,
                },
            }, new RecordingInfo(callId, callId, path, duration.TotalSeconds, (ulong)size, sha256, now), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            OperationsLog.RecordingRecoveryFailed(logger, callId, path, ex);
            return false;
        }
    }

    /// <summary>Appends the event, with the recording's metadata in the same transaction when there is one.</summary>
    private async Task AppendAsync(string callId, CallEvent evt, RecordingInfo? recording, CancellationToken cancellationToken)
    {
        evt.CallId = callId;
        evt.Time = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        await events.AppendBatchAsync([evt], recording is null ? null : [recording], cancellationToken).ConfigureAwait(false);
    }
}
