namespace Intake.Media.Relay;

/// <summary>A leg of a relayed call, named by who is at the far end.</summary>
public enum RelayLeg
{
    /// <summary>The trunk / caller side.</summary>
    Caller,

    /// <summary>The operator softphone side.</summary>
    Operator,
}
