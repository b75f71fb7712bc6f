namespace Intake.Acd.Operators;

/// <summary>Reason texts the engine itself puts on operator state changes.</summary>
public static class AcdReasons
{
    public const string Registered = "registered";
    public const string LoggedInNotReady = "logged in";
    public const string Unregistered = "unregistered";
    public const string Unreachable = "unreachable";
    public const string Ready = "ready";
    public const string Offered = "offered";
    public const string Answered = "answered";
    public const string OfferCancelled = "offer cancelled";
    public const string CallEnded = "call ended";
    public const string WrapUpEnded = "wrap-up ended";
    public const string AutoPauseNoAnswer = "auto-pause: no answer";
    public const string AutoPauseRejected = "auto-pause: rejected";
    public const string AutoPauseFailed = "auto-pause: failed";
}
