using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Auth;

/// <summary>
/// Slows down and then locks out password guessing (svcrack and friends), keyed by source address and by
/// username. IPv6 sources are keyed by their /64, since one host can hold a whole /64. A username lockout
/// never applies to a source that recently authenticated as that username (see TrustDuration).
/// Thread-safe; memory bounded by MaxTrackedKeys.
/// </summary>
public sealed class AuthFailureTracker
{
    private const int MaxUsernameKeyLength = 64;

    private readonly AuthFailureTrackerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<string, Counter> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Counter> _usernames = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Username, string Source), DateTimeOffset> _trusted = new();
    private readonly Lock _lock = new();

    public AuthFailureTracker(AuthFailureTrackerOptions options, TimeProvider timeProvider, ILogger<AuthFailureTracker> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SlowdownThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LockoutThreshold, options.SlowdownThreshold);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The treatment a request from this source for this username gets before any verification.</summary>
    public AuthThrottleDecision Check(IPAddress source, string? username)
    {
        var now = _timeProvider.GetUtcNow();
        var sourceKey = SourceKey(source);
        var userKey = UsernameKey(username);
        lock (_lock)
        {
            var decision = Evaluate(_sources, sourceKey, "source", now);
            if (userKey is not null && !IsTrusted(userKey, sourceKey, now))
            {
                decision = Combine(decision, Evaluate(_usernames, userKey, "username", now));
            }

            return decision;
        }
    }

    /// <summary>Counts a wrong password or unknown user; returns the treatment for the answer to this one.</summary>
    public AuthThrottleDecision RecordFailure(IPAddress source, string? username)
    {
        var now = _timeProvider.GetUtcNow();
        var sourceKey = SourceKey(source);
        var userKey = UsernameKey(username);
        lock (_lock)
        {
            var decision = Increment(_sources, sourceKey, "source", now);
            if (userKey is not null && !IsTrusted(userKey, sourceKey, now))
            {
                decision = Combine(decision, Increment(_usernames, userKey, "username", now));
            }

            return decision;
        }
    }

    /// <summary>
    /// Forgets the username's failures (the owner mistyped) and trusts this source for it. The source's own
    /// count is kept: successes on one account must not reset guessing on others from the same address.
    /// </summary>
    public void RecordSuccess(IPAddress source, string username)
    {
        var now = _timeProvider.GetUtcNow();
        var userKey = UsernameKey(username)!;
        var sourceKey = SourceKey(source);
        lock (_lock)
        {
            if (_usernames.TryGetValue(userKey, out var counter) && counter.LockedUntil is null)
            {
                _usernames.Remove(userKey);
            }

            if (_trusted.Count < _options.MaxTrackedKeys || _trusted.ContainsKey((userKey, sourceKey)))
            {
                _trusted[(userKey, sourceKey)] = now + _options.TrustDuration;
            }
        }
    }

    /// <summary>Drops forgotten failures, ended lockouts and lapsed trust; call from a periodic heartbeat.</summary>
    public int Sweep()
    {
        var now = _timeProvider.GetUtcNow();
        var removed = 0;
        lock (_lock)
        {
            removed += SweepCounters(_sources, "source", now);
            removed += SweepCounters(_usernames, "username", now);
            foreach (var (key, until) in _trusted)
            {
                if (until <= now)
                {
                    _trusted.Remove(key);
                    removed++;
                }
            }
        }

        return removed;
    }

    private AuthThrottleDecision Evaluate(Dictionary<string, Counter> counters, string key, string kind, DateTimeOffset now)
    {
        if (!counters.TryGetValue(key, out var counter))
        {
            return AuthThrottleDecision.None;
        }

        if (IsStale(counter, now))
        {
            Forget(counters, key, counter, kind);
            return AuthThrottleDecision.None;
        }

        return counter.LockedUntil is not null
            ? new AuthThrottleDecision(true, MaxDelayFor(counter.Failures))
            : new AuthThrottleDecision(false, DelayFor(counter.Failures));
    }

    private AuthThrottleDecision Increment(Dictionary<string, Counter> counters, string key, string kind, DateTimeOffset now)
    {
        if (counters.TryGetValue(key, out var counter) && IsStale(counter, now))
        {
            Forget(counters, key, counter, kind);
            counter = null;
        }

        if (counter is null)
        {
            if (counters.Count >= _options.MaxTrackedKeys)
            {
                SweepCounters(counters, kind, now);
                if (counters.Count >= _options.MaxTrackedKeys)
                {
                    AuthLog.TrackerFull(_logger, counters.Count, kind);
                    return AuthThrottleDecision.None;
                }
            }

            counter = new Counter { WindowStart = now };
            counters[key] = counter;
        }

        if (counter.LockedUntil is not null)
        {
            // Attempts during a lockout are not verified, so they neither extend it nor count.
            return new AuthThrottleDecision(true, MaxDelayFor(counter.Failures));
        }

        counter.Failures++;
        if (counter.Failures >= _options.LockoutThreshold)
        {
            counter.LockedUntil = now + _options.LockoutDuration;
            AuthLog.LockedOut(_logger, kind, key, counter.Failures, counter.LockedUntil.Value);
            return new AuthThrottleDecision(true, MaxDelayFor(counter.Failures));
        }

        return new AuthThrottleDecision(false, DelayFor(counter.Failures));
    }

    private bool IsStale(Counter counter, DateTimeOffset now) =>
        counter.LockedUntil is { } until ? until <= now : now - counter.WindowStart > _options.Window;

    private void Forget(Dictionary<string, Counter> counters, string key, Counter counter, string kind)
    {
        counters.Remove(key);
        if (counter.LockedUntil is not null)
        {
            AuthLog.LockoutEnded(_logger, kind, key);
        }
    }

    private int SweepCounters(Dictionary<string, Counter> counters, string kind, DateTimeOffset now)
    {
        var removed = 0;
        foreach (var (key, counter) in counters)
        {
            if (IsStale(counter, now))
            {
                Forget(counters, key, counter, kind);
                removed++;
            }
        }

        return removed;
    }

    private bool IsTrusted(string userKey, string sourceKey, DateTimeOffset now) =>
        _trusted.TryGetValue((userKey, sourceKey), out var until) && until > now;

    private TimeSpan DelayFor(int failures)
    {
        if (failures < _options.SlowdownThreshold)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - _options.SlowdownThreshold, 20);
        var delay = _options.BaseDelay * (1L << doublings);
        return delay < _options.MaxDelay ? delay : _options.MaxDelay;
    }

    // A locked-out answer is delayed like the slowest failure answer, so its timing does not give it away.
    private TimeSpan MaxDelayFor(int failures) => DelayFor(Math.Max(failures, _options.LockoutThreshold - 1));

    private static AuthThrottleDecision Combine(AuthThrottleDecision a, AuthThrottleDecision b) =>
        new(a.IsLockedOut || b.IsLockedOut, a.Delay > b.Delay ? a.Delay : b.Delay);

    private static string SourceKey(IPAddress source)
    {
        if (source.IsIPv4MappedToIPv6)
        {
            source = source.MapToIPv4();
        }

        if (source.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return source.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        source.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static string? UsernameKey(string? username)
    {
        if (string.IsNullOrEmpty(username))
        {
            return null;
        }

        return username.Length <= MaxUsernameKeyLength ? username : username[..MaxUsernameKeyLength];
    }

    private sealed class Counter
    {
        public DateTimeOffset WindowStart { get; init; }
        public int Failures { get; set; }
        public DateTimeOffset? LockedUntil { get; set; }
    }
}
