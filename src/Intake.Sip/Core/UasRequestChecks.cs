using Intake.Sip.Messages;

namespace Intake.Sip.Core;

/// <summary>The UAS core's request inspection of RFC 3261 §8.2 and §16.3 that is not transaction matching.</summary>
public static class UasRequestChecks
{
    /// <summary>Max-Forwards 0 on anything but OPTIONS must get 483 (a UAS may answer OPTIONS itself, §11).</summary>
    public static bool IsTooManyHops(SipRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.MaxForwards is <= 0 && request.Method != SipMethods.Options;
    }

    /// <summary>§8.2.2.3: the Require option tags not in <paramref name="supported"/> (compared case-insensitively).</summary>
    public static IReadOnlyList<string> UnsupportedRequirements(SipRequest request, IReadOnlyCollection<string> supported)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(supported);
        List<string>? unsupported = null;
        foreach (var raw in request.Headers.GetAll(HeaderId.Require))
        {
            var tag = raw.Trim();
            if (tag.Length == 0) continue;
            var known = false;
            foreach (var s in supported)
            {
                if (string.Equals(s, tag, StringComparison.OrdinalIgnoreCase))
                {
                    known = true;
                    break;
                }
            }

            if (!known) (unsupported ??= []).Add(tag);
        }

        return unsupported ?? (IReadOnlyList<string>)[];
    }
}
