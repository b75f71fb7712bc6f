namespace Intake.Acd.Distribution;

/// <summary>
/// Every available member rings, whatever the skill level; members who become available while the call still rings
/// are added to it. The first to answer takes the call and the others' offers are cancelled.
/// </summary>
public sealed class RingAllStrategy : IDistributionStrategy
{
    public IReadOnlyList<string> SelectOperators(DistributionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chosen = new string[request.Candidates.Count];
        for (var i = 0; i < chosen.Length; i++)
        {
            chosen[i] = request.Candidates[i].Username;
        }

        return chosen;
    }
}
