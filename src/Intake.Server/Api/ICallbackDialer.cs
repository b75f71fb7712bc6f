using Intake.Contracts.V1;

namespace Intake.Server.Api;

/// <summary>Places PSAP call-backs for Calls.Callback; implemented by the call controller.</summary>
public interface ICallbackDialer
{
    /// <summary>
    /// Rings <paramref name="operatorUsername"/>, then calls the caller of <paramref name="abandonedCall"/> back.
    /// Returns once the new call exists (its events follow in the feed), not when it is answered.
    /// </summary>
    ValueTask<CallbackResult> DialAsync(Call abandonedCall, string operatorUsername, CancellationToken cancellationToken);
}
