namespace Intake.Acd.Operators;

/// <summary>
/// Lifecycle: LoggedOut → Available → Ringing → OnCall → WrapUp → Available, with NotReady(reason) reachable from any
/// logged-in state and left by <see cref="Engine.AcdEngine.SetReady"/>.
/// </summary>
public enum AcdOperatorState
{
    LoggedOut,
    Available,
    Ringing,
    OnCall,
    WrapUp,
    NotReady,
}
