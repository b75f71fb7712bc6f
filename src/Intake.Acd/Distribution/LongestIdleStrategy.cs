namespace Intake.Acd.Distribution;

/// <summary>
/// One operator at a time: among the highest skill level, the one idle longest; ties go to configuration order.
/// </summary>
public sealed class LongestIdleStrategy : IDistributionStrategy
{
    public IReadOnlyList<string> SelectOperators(DistributionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ActiveOffers > 0 || request.Candidates.Count == 0)
        {
            return [];
        }

        DistributionCandidate? best = null;
        foreach (var candidate in request.Candidates)
        {
            if (best is null
                || candidate.SkillLevel > best.SkillLevel
                || (candidate.SkillLevel == best.SkillLevel && candidate.IdleSince < best.IdleSince))
            {
                best = candidate;
            }
        }

        return [best!.Username];
    }
}
