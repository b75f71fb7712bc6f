namespace Intake.Acd;

/// <summary>
/// Synchronous answer to an input of <see cref="Engine.AcdEngine"/>. Anything but <see cref="Ok"/> means the engine's
/// state did not change; decisions are never returned here, they go to <see cref="Engine.AcdEngine.Decisions"/>.
/// </summary>
public enum AcdResult
{
    Ok,

    /// <summary>The call id is not (or no longer) in the ACD: already overflowed, abandoned, completed or never seen.</summary>
    UnknownCall,

    /// <summary>No operator with this username is configured.</summary>
    UnknownOperator,

    /// <summary>No queue claims the dialled number and no default queue is configured.</summary>
    UnknownNumber,

    UnknownQueue,

    /// <summary>A call with this id is already in the ACD.</summary>
    DuplicateCall,

    /// <summary>An argument was null or empty.</summary>
    InvalidArgument,

    /// <summary>
    /// The operator has no offer for this call (it was cancelled, timed out, or another operator answered first).
    /// For <see cref="Engine.AcdEngine.CallAnswered"/> the server must hang up that operator leg.
    /// </summary>
    NotOffered,

    /// <summary>The operator is logged out (not registered), so readiness cannot change.</summary>
    NotLoggedIn,
}
