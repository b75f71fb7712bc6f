using System.Globalization;

namespace Intake.Acd.Configuration;

/// <summary>
/// Checks an <see cref="AcdOptions"/> and reports every problem as "Key: message", the key relative to the ACD section
/// (e.g. "Operators[2].Queues[0]: unknown queue 'polic'"), so a host can prefix its section name and fail at start.
/// Queue names compare case-insensitively; usernames and numbers exactly, as SIP user parts do.
/// </summary>
public static class AcdOptionsValidator
{
    public static IReadOnlyList<string> Validate(AcdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var queueNames = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var numberOwners = new Dictionary<string, string>(StringComparer.Ordinal);

        for (var i = 0; i < options.Queues.Count; i++)
        {
            ValidateQueue(options.Queues[i], $"Queues[{i}]", queueNames, numberOwners, errors);
        }

        var usernames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Operators.Count; i++)
        {
            ValidateOperator(options.Operators[i], $"Operators[{i}]", queueNames, usernames, errors);
        }

        if (options.DefaultQueue is { } defaultQueue && !queueNames.ContainsKey(defaultQueue))
        {
            errors.Add($"DefaultQueue: unknown queue '{defaultQueue}'");
        }

        if (options.MaxConcurrentCalls is < 1)
        {
            errors.Add($"MaxConcurrentCalls: must be at least 1 (or absent for no limit), got {options.MaxConcurrentCalls}");
        }

        if (options.AbandonedHistoryLimit < 0)
        {
            errors.Add($"AbandonedHistoryLimit: must not be negative, got {options.AbandonedHistoryLimit}");
        }

        return errors;
    }

    /// <summary>Minimal check: "sip:" or "sips:" (any case) followed by something.</summary>
    public static bool IsSipUri(string value) =>
        (value.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) && value.Length > 4)
        || (value.StartsWith("sips:", StringComparison.OrdinalIgnoreCase) && value.Length > 5);

    private static void ValidateQueue(
        AcdQueueOptions? queue,
        string key,
        Dictionary<string, int> queueNames,
        Dictionary<string, string> numberOwners,
        List<string> errors)
    {
        if (queue is null)
        {
            errors.Add($"{key}: missing queue");
            return;
        }

        if (string.IsNullOrWhiteSpace(queue.Name))
        {
            errors.Add($"{key}.Name: must not be empty");
        }
        else if (!queueNames.TryAdd(queue.Name, queueNames.Count))
        {
            errors.Add($"{key}.Name: duplicate queue name '{queue.Name}'");
        }

        var name = queue.Name ?? "";
        for (var n = 0; n < queue.Numbers.Count; n++)
        {
            var number = queue.Numbers[n];
            if (string.IsNullOrWhiteSpace(number))
            {
                errors.Add($"{key}.Numbers[{n}]: must not be empty");
            }
            else if (!numberOwners.TryAdd(number, name))
            {
                errors.Add($"{key}.Numbers[{n}]: number '{number}' is already claimed by queue '{numberOwners[number]}'");
            }
        }

        RequireAtLeast(queue.RingTimeoutSeconds, 1, $"{key}.RingTimeoutSeconds", errors);
        RequireAtLeast(queue.WrapUpSeconds, 0, $"{key}.WrapUpSeconds", errors);
        RequireAtLeast(queue.MaxWaitSeconds, 1, $"{key}.MaxWaitSeconds", errors);

        if (queue.OverflowUri is { } uri && !IsSipUri(uri))
        {
            errors.Add($"{key}.OverflowUri: '{uri}' is not a SIP URI (must start with sip: or sips:)");
        }

        if (queue.ServiceLevelSeconds is { } thresholds)
        {
            if (thresholds.Count == 0)
            {
                errors.Add($"{key}.ServiceLevelSeconds: must list at least one threshold (or be absent for the default)");
            }

            var seen = new HashSet<int>();
            for (var t = 0; t < thresholds.Count; t++)
            {
                if (thresholds[t] < 1)
                {
                    errors.Add($"{key}.ServiceLevelSeconds[{t}]: must be at least 1, got {thresholds[t]}");
                }
                else if (!seen.Add(thresholds[t]))
                {
                    errors.Add($"{key}.ServiceLevelSeconds[{t}]: duplicate threshold {thresholds[t]}");
                }
            }
        }

        if (!Enum.IsDefined(queue.Strategy))
        {
            errors.Add($"{key}.Strategy: unknown strategy '{((int)queue.Strategy).ToString(CultureInfo.InvariantCulture)}'");
        }
    }

    private static void ValidateOperator(
        AcdOperatorOptions? op,
        string key,
        Dictionary<string, int> queueNames,
        Dictionary<string, int> usernames,
        List<string> errors)
    {
        if (op is null)
        {
            errors.Add($"{key}: missing operator");
            return;
        }

        if (string.IsNullOrWhiteSpace(op.Username))
        {
            errors.Add($"{key}.Username: must not be empty");
        }
        else if (!usernames.TryAdd(op.Username, usernames.Count))
        {
            errors.Add($"{key}.Username: duplicate username '{op.Username}'");
        }

        if (op.Queues.Count == 0)
        {
            errors.Add($"{key}.Queues: must name at least one queue");
        }

        var memberOf = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var q = 0; q < op.Queues.Count; q++)
        {
            var membership = op.Queues[q];
            var memberKey = $"{key}.Queues[{q}]";
            if (membership is null || string.IsNullOrWhiteSpace(membership.Queue))
            {
                errors.Add($"{memberKey}: queue name must not be empty");
                continue;
            }

            if (!queueNames.ContainsKey(membership.Queue))
            {
                errors.Add($"{memberKey}: unknown queue '{membership.Queue}'");
            }
            else if (!memberOf.Add(membership.Queue))
            {
                errors.Add($"{memberKey}: queue '{membership.Queue}' listed twice");
            }

            RequireAtLeast(membership.SkillLevel, 1, $"{memberKey}.SkillLevel", errors);
        }
    }

    private static void RequireAtLeast(int value, int minimum, string key, List<string> errors)
    {
        if (value < minimum)
        {
            errors.Add($"{key}: must be at least {minimum}, got {value}");
        }
    }
}
