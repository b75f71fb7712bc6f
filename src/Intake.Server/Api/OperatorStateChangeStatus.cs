namespace Intake.Server.Api;

public enum OperatorStateChangeStatus
{
    /// <summary>Maps to OK.</summary>
    Changed,

    /// <summary>Maps to NOT_FOUND.</summary>
    UnknownOperator,

    /// <summary>Maps to FAILED_PRECONDITION.</summary>
    Rejected,
}
