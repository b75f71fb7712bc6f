using System.Net.Sockets;

namespace Intake.Sip.Transport;

/// <summary>
/// What a socket loop (UDP receive, TCP accept) does with errors: stop on shutdown, keep going on transient ones,
/// and pause briefly after a burst so a lasting condition (e.g. too many open files) does not spin a core.
/// </summary>
internal sealed class SocketErrorBackoff(TimeSpan pause, TimeProvider time)
{
    private const int BurstBeforePause = 16;
    private int _consecutive;

    /// <summary>The socket is being closed: the loop ends.</summary>
    public static bool IsStopping(SocketException ex) => ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted;

    public void Reset() => _consecutive = 0;

    /// <summary>Counts one transient error; after a burst, waits <c>pause</c> (returns early on shutdown).</summary>
    public async Task OnErrorAsync(CancellationToken cancellationToken)
    {
        if (++_consecutive < BurstBeforePause)
        {
            return;
        }

        _consecutive = 0;
        try
        {
            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown; the loop condition ends the loop.
        }
    }
}
