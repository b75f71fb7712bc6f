namespace Intake.Acd.Distribution;

/// <summary>
/// Chooses which available operators ring for one call. One instance serves one queue. It is called under the engine's
/// lock, so it needs no locking of its own but must be quick and must not call back into the engine.
/// The engine ignores names that are not among the candidates, and never gives an operator a second offer.
/// </summary>
public interface IDistributionStrategy
{
    /// <summary>Returns the operators to ring now, possibly none (e.g. one-at-a-time strategies while an offer is out).</summary>
    IReadOnlyList<string> SelectOperators(DistributionRequest request);
}
