namespace Intake.Server.Calls;

/// <summary>Where an outbound leg (to an operator or an overflow centre) stands.</summary>
public enum OperatorLegState
{
    Inviting,
    Answered,
    Failed,
    Cancelled,
    Ended,
}
