namespace Intake.Server.Security;

/// <summary>
/// The <c>Security</c> section: per-source token buckets for SIP requests that are not emergency INVITEs from a
/// trunk. A bucket holds up to its burst and refills at its rate; a source idle long enough to refill every
/// bucket is forgotten, since it would start from a full bucket anyway.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    public double RegisterPerSecond { get; set; } = 5;

    public int RegisterBurst { get; set; } = 20;

    public double OptionsPerSecond { get; set; } = 10;

    public int OptionsBurst { get; set; } = 50;

    public double OtherPerSecond { get; set; } = 20;

    public int OtherBurst { get; set; } = 100;

    /// <summary>Sources tracked at once; past it the least recently seen source is forgotten.</summary>
    public int MaxTrackedSources { get; set; } = 100_000;

    /// <summary>
    /// IPv6 sources are limited per block of this length, since one host usually owns a whole /64 and could
    /// otherwise send from a fresh address per request. IPv4 sources are always limited per address.
    /// </summary>
    public int Ipv6PrefixLength { get; set; } = 64;

    public double PerSecond(TrafficClass trafficClass) => trafficClass switch
    {
        TrafficClass.Register => RegisterPerSecond,
        TrafficClass.Options => OptionsPerSecond,
        _ => OtherPerSecond,
    };

    public int Burst(TrafficClass trafficClass) => trafficClass switch
    {
        TrafficClass.Register => RegisterBurst,
        TrafficClass.Options => OptionsBurst,
        _ => OtherBurst,
    };

    /// <summary>Problems worded with the configuration keys they concern; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var trafficClass in Enum.GetValues<TrafficClass>())
        {
            var perSecond = PerSecond(trafficClass);
            if (!double.IsFinite(perSecond) || perSecond <= 0)
            {
                errors.Add($"{Section}:{trafficClass}PerSecond must be a positive number (got {perSecond}).");
            }

            if (Burst(trafficClass) < 1)
            {
                errors.Add($"{Section}:{trafficClass}Burst must be at least 1 (got {Burst(trafficClass)}).");
            }
        }

        if (MaxTrackedSources < 1)
        {
            errors.Add($"{Section}:MaxTrackedSources must be at least 1 (got {MaxTrackedSources}).");
        }

        if (Ipv6PrefixLength is < 1 or > 128)
        {
            errors.Add($"{Section}:Ipv6PrefixLength must be between 1 and 128 (got {Ipv6PrefixLength}).");
        }

        return errors;
    }
}
