namespace Intake.Server.Api;

public enum CallbackStatus
{
    /// <summary>Maps to OK.</summary>
    Started,

    /// <summary>Maps to NOT_FOUND.</summary>
    UnknownOperator,

    /// <summary>Maps to FAILED_PRECONDITION.</summary>
    OperatorNotReady,

    /// <summary>Maps to UNAVAILABLE.</summary>
    Failed,
}
