namespace Intake.Server.Calls;

public sealed partial class CallController
{
    /// <summary>
    /// The caller went silent for Rtp:InactivitySeconds (a dead trunk or a lost BYE): end the call with a BYE.
    /// Raised on the media clock thread, so the work moves to the thread pool.
    /// </summary>
    private void OnMediaTimedOut(EmergencyCall call) => _ = Task.Run(() => EndOnMediaTimeoutAsync(call));

    private async Task EndOnMediaTimeoutAsync(EmergencyCall call)
    {
        try
        {
            await EndAsync(call, "media-timeout", sendBye: true).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ServerLog.CallStepFailed(logger, call.Id, "media-timeout BYE", ex);
        }
    }
}
