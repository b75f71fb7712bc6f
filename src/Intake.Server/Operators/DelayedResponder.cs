using System.Collections.Concurrent;
using Intake.Sip.Messages;
using Intake.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Operators;

/// <summary>
/// Sends responses that authentication slowdown holds back. The receive path must not wait out the delay (it would
/// stall every other request behind a password guesser), so each held response runs as a tracked task; a
/// retransmitted request meanwhile finds its transaction still pending and gets nothing, like the original.
/// </summary>
internal sealed class DelayedResponder(TimeProvider timeProvider, ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private readonly CancellationTokenSource _stopping = new();

    public int PendingCount => _pending.Count;

    /// <summary>Sends now when there is no delay; otherwise schedules the send and returns at once.</summary>
    public ValueTask SendAsync(SipServerTransaction transaction, SipResponse response, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return SendNowAsync(transaction, response);
        }

        var task = SendLaterAsync(transaction, response, delay);
        _pending.TryAdd(task, 0);
        _ = task.ContinueWith(t => _pending.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return ValueTask.CompletedTask;
    }

    /// <summary>Drops the responses still held (the stack is going away) and waits for their tasks to end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_pending.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async ValueTask SendNowAsync(SipServerTransaction transaction, SipResponse response)
    {
        await transaction.SendResponseAsync(response).ConfigureAwait(false);
    }

    private async Task SendLaterAsync(SipServerTransaction transaction, SipResponse response, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, timeProvider, _stopping.Token).ConfigureAwait(false);
            await transaction.SendResponseAsync(response).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down: the client's transaction times out, as it would against a stopped server.
        }
        catch (Exception exception)
        {
            OperatorLog.DelayedSendFailed(logger, response.StatusCode, transaction.Request.Method, exception);
        }
    }
}
