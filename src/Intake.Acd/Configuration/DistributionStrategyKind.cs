namespace Intake.Acd.Configuration;

/// <summary>Built-in ways of choosing which available operator(s) ring for a call.</summary>
public enum DistributionStrategyKind
{
    /// <summary>The operator idle the longest (since becoming available or finishing wrap-up).</summary>
    LongestIdle,

    /// <summary>Every available operator of the queue rings; the first to answer gets the call.</summary>
    RingAll,

    /// <summary>Operators in configured order, continuing after the one offered last.</summary>
    RoundRobin,
}
