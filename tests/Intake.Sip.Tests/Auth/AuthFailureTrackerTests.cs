using System.Net;
using Intake.Sip.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Sip.Tests.Auth;

public sealed class AuthFailureTrackerTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.66");
    private static readonly IPAddress Phone = IPAddress.Parse("127.0.0.10");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly AuthFailureTracker _tracker;

    public AuthFailureTrackerTests()
    {
        _tracker = new AuthFailureTracker(new AuthFailureTrackerOptions(), _time, NullLogger<AuthFailureTracker>.Instance);
    }

    [Fact]
    public void RecordFailure_Sequence_NoDelayThenSlowThenLockoutThenExpiry()
    {
        var decisions = new List<AuthThrottleDecision>();
        for (var i = 0; i < 10; i++)
        {
            decisions.Add(_tracker.RecordFailure(Attacker, "user" + i));
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.All(decisions.Take(4), d => Assert.Equal(AuthThrottleDecision.None, d));
        Assert.Equal(new AuthThrottleDecision(false, TimeSpan.FromSeconds(1)), decisions[4]);
        Assert.Equal(new AuthThrottleDecision(false, TimeSpan.FromSeconds(2)), decisions[5]);
        Assert.Equal(new AuthThrottleDecision(false, TimeSpan.FromSeconds(16)), decisions[8]);
        Assert.True(decisions[9].IsLockedOut);
        Assert.True(_tracker.Check(Attacker, null).IsLockedOut);
        Assert.True(_tracker.Check(Attacker, "1001").IsLockedOut);

        _time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(6));
        Assert.True(_tracker.Check(Attacker, null).IsLockedOut);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(AuthThrottleDecision.None, _tracker.Check(Attacker, null));
    }

    [Fact]
    public void Check_LockedOut_DelayEqualsSlowestFailureDelay()
    {
        AuthThrottleDecision last = default;
        for (var i = 0; i < 9; i++)
        {
            last = _tracker.RecordFailure(Attacker, null);
        }

        var lockout = _tracker.RecordFailure(Attacker, null);

        Assert.True(lockout.IsLockedOut);
        Assert.Equal(last.Delay, lockout.Delay);
        Assert.Equal(last.Delay, _tracker.Check(Attacker, null).Delay);
    }

    [Fact]
    public void RecordFailure_SpreadBeyondWindow_NeverSlowed()
    {
        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(AuthThrottleDecision.None, _tracker.RecordFailure(Attacker, "1001") with { Delay = TimeSpan.Zero });
            _time.Advance(TimeSpan.FromMinutes(3));
        }

        Assert.False(_tracker.Check(Attacker, "1001").IsLockedOut);
    }

    [Fact]
    public void RecordFailure_ManySourcesOneUsername_LocksUsernameForUntrustedSources()
    {
        for (var i = 0; i < 10; i++)
        {
            _tracker.RecordFailure(IPAddress.Parse($"127.0.1.{i + 1}"), "1001");
        }

        Assert.True(_tracker.Check(IPAddress.Parse("127.0.2.1"), "1001").IsLockedOut);
        Assert.False(_tracker.Check(IPAddress.Parse("127.0.2.1"), "1002").IsLockedOut);
    }

    [Fact]
    public void Check_TrustedSourceDuringUsernameAttack_NotLockedOut()
    {
        _tracker.RecordSuccess(Phone, "1001");
        for (var i = 0; i < 20; i++)
        {
            _tracker.RecordFailure(IPAddress.Parse($"127.0.1.{i + 1}"), "1001");
        }

        Assert.Equal(AuthThrottleDecision.None, _tracker.Check(Phone, "1001"));
        Assert.True(_tracker.Check(Attacker, "1001").IsLockedOut);
    }

    [Fact]
    public void RecordSuccess_AfterTypos_ClearsUsernameButNotSourceCount()
    {
        for (var i = 0; i < 4; i++)
        {
            _tracker.RecordFailure(Phone, "1001");
        }

        _tracker.RecordSuccess(Phone, "1001");
        var next = _tracker.RecordFailure(Phone, "1002");

        Assert.Equal(TimeSpan.FromSeconds(1), next.Delay);
    }

    [Fact]
    public void RecordFailure_Ipv6SameSlash64_SharesCounter()
    {
        for (var i = 0; i < 10; i++)
        {
            _tracker.RecordFailure(IPAddress.Parse($"0:0:0:{i + 1}::1"), null);
        }

        Assert.False(_tracker.Check(IPAddress.Parse("::1"), null).IsLockedOut);
        for (var i = 0; i < 10; i++)
        {
            _tracker.RecordFailure(IPAddress.Parse($"::{i + 1}"), null);
        }

        Assert.True(_tracker.Check(IPAddress.IPv6Loopback, null).IsLockedOut);
    }

    [Fact]
    public void RecordFailure_TrackerFull_NewKeysUntrackedNoException()
    {
        var tracker = new AuthFailureTracker(
            new AuthFailureTrackerOptions { MaxTrackedKeys = 3, LockoutThreshold = 1, SlowdownThreshold = 1 },
            _time, NullLogger<AuthFailureTracker>.Instance);
        for (var i = 0; i < 3; i++)
        {
            tracker.RecordFailure(IPAddress.Parse($"127.0.3.{i + 1}"), null);
        }

        var decision = tracker.RecordFailure(IPAddress.Parse("127.0.3.200"), null);

        Assert.False(decision.IsLockedOut);
        Assert.True(tracker.Check(IPAddress.Parse("127.0.3.1"), null).IsLockedOut);
    }

    [Fact]
    public void Sweep_AfterLockoutAndTrustLapse_RemovesEverything()
    {
        _tracker.RecordSuccess(Phone, "1001");
        for (var i = 0; i < 10; i++)
        {
            _tracker.RecordFailure(Attacker, "x");
        }

        _time.Advance(TimeSpan.FromHours(25));

        Assert.Equal(3, _tracker.Sweep());
        Assert.Equal(0, _tracker.Sweep());
    }
}
