namespace Intake.Server.Operators;

/// <summary>What the registrar knows about whether an operator's softphone can take a call.</summary>
public enum OperatorAvailability
{
    /// <summary>No current binding.</summary>
    Unregistered,

    /// <summary>At least one binding answered (or has not yet failed) keep-alive probing.</summary>
    Reachable,

    /// <summary>Registered, but every binding failed its keep-alive probes.</summary>
    Unreachable,
}
