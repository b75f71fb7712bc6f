namespace Intake.Acd.Distribution;

/// <summary>
/// One operator at a time, taking the queue's members in configured order and continuing after the member offered last,
/// within the highest skill level available.
/// </summary>
public sealed class RoundRobinStrategy : IDistributionStrategy
{
    private int _lastPosition = -1;

    public IReadOnlyList<string> SelectOperators(DistributionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ActiveOffers > 0 || request.Candidates.Count == 0)
        {
            return [];
        }

        var topLevel = request.Candidates.Max(c => c.SkillLevel);
        DistributionCandidate? after = null;
        DistributionCandidate? first = null;
        foreach (var candidate in request.Candidates)
        {
            if (candidate.SkillLevel != topLevel)
            {
                continue;
            }

            if (first is null || candidate.Position < first.Position)
            {
                first = candidate;
            }

            if (candidate.Position > _lastPosition && (after is null || candidate.Position < after.Position))
            {
                after = candidate;
            }
        }

        var chosen = after ?? first!;
        _lastPosition = chosen.Position;
        return [chosen.Username];
    }
}
