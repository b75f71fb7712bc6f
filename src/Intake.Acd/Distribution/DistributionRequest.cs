namespace Intake.Acd.Distribution;

/// <summary>One call needing operators.</summary>
/// <param name="ActiveOffers">How many operators already ring for this call.</param>
/// <param name="Candidates">Available operators of the queue without an offer, in the queue's configured order; never empty.</param>
public sealed record DistributionRequest(
    string CallId,
    string Queue,
    int ActiveOffers,
    IReadOnlyList<DistributionCandidate> Candidates);
