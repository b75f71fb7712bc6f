namespace Intake.Acd.Statistics;

/// <summary>
/// Service level for one threshold T:
/// Percent = 100 × AnsweredWithin / Counted, where AnsweredWithin counts calls answered by an operator with a wait ≤ T
/// (wait measured from the call's arrival) and Counted = answered + overflowed + abandoned with a wait &gt; T.
/// Calls abandoned within T are left out (the caller gave up before the target could be missed); calls still waiting
/// are not counted until they end. Percent is null while Counted is 0.
/// </summary>
public sealed record ServiceLevel(int ThresholdSeconds, long AnsweredWithin, long Counted, double? Percent);
