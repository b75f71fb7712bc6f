using Intake.Server.Configuration;
using Intake.Sip.Messages;

namespace Intake.Server.Calls;

/// <summary>Which queue a dialled emergency number belongs to.</summary>
public sealed class NumberPlan
{
    private readonly Dictionary<string, QueueOptions> _byNumber = new(StringComparer.Ordinal);

    public NumberPlan(IEnumerable<QueueOptions> queues)
    {
        foreach (var queue in queues)
        {
            foreach (var number in queue.Numbers)
            {
                _byNumber[number] = queue;
            }
        }
    }

    /// <summary>The dialled number of a Request-URI: the user part of a sip/sips URI, the number of a tel URI.</summary>
    public static string? DialledNumber(SipUri uri)
    {
        var number = uri.Scheme == "tel" ? (uri.User ?? uri.Host) : uri.User;
        if (string.IsNullOrEmpty(number))
        {
            return null;
        }

        // Visual separators of RFC 3966 are not part of the number.
        return number.Contains('-') || number.Contains('.') || number.Contains('(')
            ? new string([.. number.Where(c => c is not ('-' or '.' or '(' or ')'))])
            : number;
    }

    public bool TryFind(SipUri requestUri, out QueueOptions queue, out string number)
    {
        number = DialledNumber(requestUri) ?? "";
        return _byNumber.TryGetValue(number, out queue!);
    }
}
