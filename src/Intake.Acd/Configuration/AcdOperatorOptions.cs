namespace Intake.Acd.Configuration;

/// <summary>An operator known to the ACD, identified by the username of their softphone registration.</summary>
public sealed record AcdOperatorOptions
{
    public string Username { get; init; } = "";

    public string? DisplayName { get; init; }

    public IReadOnlyList<AcdOperatorQueueOptions> Queues { get; init; } = [];
}
