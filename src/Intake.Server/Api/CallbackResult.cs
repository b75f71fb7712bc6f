namespace Intake.Server.Api;

/// <summary>The outcome of a call-back request: the new call's id, or why none was started.</summary>
public sealed record CallbackResult(CallbackStatus Status, string CallbackCallId, string Detail)
{
    public static CallbackResult Started(string callbackCallId) => new(CallbackStatus.Started, callbackCallId, string.Empty);

    public static CallbackResult UnknownOperator(string username) => new(CallbackStatus.UnknownOperator, string.Empty, $"no operator '{username}'");

    /// <summary>The operator cannot take it now (not logged in, on a call, ...).</summary>
    public static CallbackResult OperatorNotReady(string detail) => new(CallbackStatus.OperatorNotReady, string.Empty, detail);

    /// <summary>It could not be placed (no trunk, no caller number, ...).</summary>
    public static CallbackResult Failed(string detail) => new(CallbackStatus.Failed, string.Empty, detail);
}
