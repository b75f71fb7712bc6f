using System.Text.RegularExpressions;
using Intake.Acd.Configuration;

namespace Intake.Server.Configuration;

/// <summary>Turns the server's configuration into the ACD's options, and the ACD's complaints into configuration keys.</summary>
public static partial class AcdOptionsMapper
{
    public static AcdOptions Map(IntakeConfiguration config) => new()
    {
        AvailableOnRegister = config.Intake.AvailableOnRegister,
        MaxConcurrentCalls = config.Intake.MaxConcurrentCalls > 0 ? config.Intake.MaxConcurrentCalls : null,
        Queues = [.. config.Queues.Select(q => new AcdQueueOptions
        {
            Name = q.Name,
            Numbers = q.Numbers,
            Priority = q.Priority,
            RingTimeoutSeconds = q.RingTimeoutSeconds,
            WrapUpSeconds = q.WrapUpSeconds,
            MaxWaitSeconds = q.MaxWaitSeconds,
            OverflowUri = string.IsNullOrWhiteSpace(q.OverflowUri) ? null : q.OverflowUri,
            ServiceLevelSeconds = q.EffectiveServiceLevelSeconds,
            Strategy = Enum.TryParse<DistributionStrategyKind>(q.Strategy, ignoreCase: true, out var kind) ? kind : DistributionStrategyKind.LongestIdle,
        })],
        Operators = [.. config.Operators.Select(o => new AcdOperatorOptions
        {
            Username = o.Username,
            DisplayName = string.IsNullOrWhiteSpace(o.DisplayName) ? null : o.DisplayName,
            Queues = [.. o.Queues.Select(ParseMembership)],
        })],
    };

    /// <summary>"police" or "police:2" (skill level).</summary>
    public static AcdOperatorQueueOptions ParseMembership(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text.AsSpan(colon + 1), out var level)
            ? new AcdOperatorQueueOptions { Queue = text[..colon].Trim(), SkillLevel = level }
            : new AcdOperatorQueueOptions { Queue = text.Trim() };
    }

    /// <summary>Problems the ACD finds, with its "Operators[2].Queues[0]" paths written as configuration keys.</summary>
    public static IEnumerable<string> Validate(IntakeConfiguration config)
    {
        var errors = new List<string>();
        foreach (var (i, queue) in config.Queues.Index())
        {
            if (!Enum.TryParse<DistributionStrategyKind>(queue.Strategy, ignoreCase: true, out _))
            {
                errors.Add($"Queues:{i}:Strategy: '{queue.Strategy}' is not one of LongestIdle, RingAll, RoundRobin");
            }
        }

        foreach (var (i, op) in config.Operators.Index())
        {
            if (string.IsNullOrEmpty(op.Password))
            {
                errors.Add($"Operators:{i}:Password: must not be empty");
            }

            foreach (var (j, membership) in op.Queues.Index())
            {
                var colon = membership.LastIndexOf(':');
                if (colon > 0 && !int.TryParse(membership.AsSpan(colon + 1), out _))
                {
                    errors.Add($"Operators:{i}:Queues:{j}: '{membership}' must be a queue name or name:skill");
                }
            }
        }

        errors.AddRange(AcdOptionsValidator.Validate(Map(config)).Select(ToConfigurationKey));
        return errors;
    }

    private static string ToConfigurationKey(string error)
    {
        var separator = error.IndexOf(": ", StringComparison.Ordinal);
        if (separator <= 0)
        {
            return error;
        }

        var key = IndexPattern().Replace(error[..separator], m => ":" + m.Groups[1].Value).Replace('.', ':');
        return key + error[separator..];
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex IndexPattern();
}
