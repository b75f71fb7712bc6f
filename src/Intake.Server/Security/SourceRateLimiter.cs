using System.Net;
using System.Numerics;
using Microsoft.Extensions.Options;

namespace Intake.Server.Security;

/// <summary>
/// Token buckets per source address and <see cref="TrafficClass"/>, for SIP requests other than emergency INVITEs
/// from trunks (those are never limited, so the caller does not ask). Sources are spread over independently locked
/// stripes, so a flood from one address only ever holds its own stripe's lock for a dictionary lookup and some
/// arithmetic, and drains only its own buckets. Memory is bounded: each stripe keeps at most its share of
/// <see cref="SecurityOptions.MaxTrackedSources"/>, forgets sources idle long enough to have refilled every bucket,
/// and past its share reuses the least recently seen entry. The cost of that bound: a spoofing attacker cycling
/// through more addresses than the cap can push a real flooder out, which hands the flooder a fresh burst.
/// </summary>
public sealed partial class SourceRateLimiter
{
    private const int MaxStripes = 64;

    private readonly TimeProvider _time;
    private readonly Stripe[] _stripes;
    private readonly BucketShape[] _shapes;
    private readonly UInt128 _ipv6Mask;
    private readonly long _idleTicks;

    public SourceRateLimiter(IOptions<SecurityOptions> options, TimeProvider time)
        : this(options.Value, time)
    {
    }

    public SourceRateLimiter(SecurityOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _time = time;
        _ipv6Mask = AddressKey.Mask(options.Ipv6PrefixLength);
        var classes = Enum.GetValues<TrafficClass>();
        _shapes = new BucketShape[classes.Length];
        var longestRefillSeconds = 0.0;
        foreach (var trafficClass in classes)
        {
            var perSecond = options.PerSecond(trafficClass);
            var burst = options.Burst(trafficClass);
            _shapes[(int)trafficClass] = new BucketShape(perSecond / time.TimestampFrequency, burst);
            longestRefillSeconds = Math.Max(longestRefillSeconds, burst / perSecond);
        }

        // An entry idle this long has every bucket full again: forgetting it changes nothing for the source.
        _idleTicks = (long)Math.Ceiling(longestRefillSeconds * time.TimestampFrequency);

        var stripeCount = Math.Min(MaxStripes, (int)(BitOperations.RoundUpToPowerOf2((uint)options.MaxTrackedSources + 1) / 2));
        var perStripe = options.MaxTrackedSources / stripeCount;
        _stripes = new Stripe[stripeCount];
        for (var i = 0; i < stripeCount; i++)
        {
            _stripes[i] = new Stripe(perStripe);
        }
    }

    /// <summary>Sources currently tracked (at most <see cref="SecurityOptions.MaxTrackedSources"/>).</summary>
    public int TrackedSources
    {
        get
        {
            var total = 0;
            foreach (var stripe in _stripes)
            {
                total += stripe.Count;
            }

            return total;
        }
    }

    /// <summary>
    /// Forgets every source idle long enough to have refilled all its buckets, across all stripes, and returns how
    /// many. Calls already do this lazily on their own stripe; a heartbeat calling this frees memory after a burst
    /// of sources that then went quiet.
    /// </summary>
    public int ForgetIdleSources()
    {
        var now = _time.GetTimestamp();
        var forgotten = 0;
        foreach (var stripe in _stripes)
        {
            forgotten += stripe.ForgetIdle(now, _idleTicks);
        }

        return forgotten;
    }

    /// <summary>Maps a SIP method to the class it is limited under.</summary>
    public static TrafficClass Classify(string method) => method switch
    {
        "REGISTER" => TrafficClass.Register,
        "OPTIONS" => TrafficClass.Options,
        _ => TrafficClass.Other,
    };

    /// <summary>
    /// Takes one token from the source's bucket of that class: false means the request should be dropped (or
    /// answered 503 with Retry-After, at the caller's choice). IPv4-mapped sources count as their IPv4 address.
    /// Does not allocate once the source is tracked or the table is full.
    /// </summary>
    public bool TryAcquire(IPAddress source, TrafficClass trafficClass)
    {
        ArgumentNullException.ThrowIfNull(source);
        if ((uint)trafficClass >= (uint)_shapes.Length)
        {
            trafficClass = TrafficClass.Other;
        }

        var key = AddressKey.From(source);
        if (!AddressKey.IsIPv4(key))
        {
            key &= _ipv6Mask;
        }

        var hash = KeyComparer.Instance.GetHashCode(key);
        var stripe = _stripes[hash & (_stripes.Length - 1)];
        return stripe.TryAcquire(key, _shapes[(int)trafficClass], (int)trafficClass, _time.GetTimestamp(), _idleTicks);
    }

    /// <summary>How one class's buckets fill: tokens gained per timestamp tick, and the most they hold.</summary>
    private readonly record struct BucketShape(double TokensPerTick, int Burst);

    /// <summary>Equality on the key with the process-randomized <see cref="HashCode"/>, so sources cannot be chosen to collide.</summary>
    private sealed class KeyComparer : IEqualityComparer<UInt128>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(UInt128 x, UInt128 y) => x == y;

        public int GetHashCode(UInt128 obj) => HashCode.Combine((ulong)obj, (ulong)(obj >> 64));
    }
}
