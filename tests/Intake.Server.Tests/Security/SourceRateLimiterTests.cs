using System.Net;
using Intake.Server.Security;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Server.Tests.Security;

public sealed class SourceRateLimiterTests
{
    private static readonly IPAddress Alice = IPAddress.Parse("127.0.0.10");
    private static readonly IPAddress Bob = IPAddress.Parse("127.0.0.20");

    private readonly FakeTimeProvider _time = new();

    private SourceRateLimiter Limiter(Action<SecurityOptions>? configure = null)
    {
        var options = new SecurityOptions();
        configure?.Invoke(options);
        return new SourceRateLimiter(options, _time);
    }

    private static int Drain(SourceRateLimiter limiter, IPAddress source, TrafficClass trafficClass, int attempts)
    {
        var granted = 0;
        for (var i = 0; i < attempts; i++)
        {
            if (limiter.TryAcquire(source, trafficClass))
            {
                granted++;
            }
        }

        return granted;
    }

    [Theory]
    [InlineData(TrafficClass.Register, 20)]
    [InlineData(TrafficClass.Options, 50)]
    [InlineData(TrafficClass.Other, 100)]
    public void TryAcquire_DefaultOptions_GrantsExactlyTheBurst(TrafficClass trafficClass, int burst)
    {
        var limiter = Limiter();

        Assert.Equal(burst, Drain(limiter, Alice, trafficClass, burst * 3));
    }

    [Fact]
    public void TryAcquire_AfterBurst_RefillsAtConfiguredRate()
    {
        var limiter = Limiter();
        Drain(limiter, Alice, TrafficClass.Register, 20);

        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(limiter.TryAcquire(Alice, TrafficClass.Register));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAcquire(Alice, TrafficClass.Register));
        Assert.False(limiter.TryAcquire(Alice, TrafficClass.Register));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, Drain(limiter, Alice, TrafficClass.Register, 50));
    }

    [Fact]
    public void TryAcquire_LongIdle_RefillsOnlyUpToBurst()
    {
        var limiter = Limiter();
        Drain(limiter, Alice, TrafficClass.Options, 50);

        _time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(50, Drain(limiter, Alice, TrafficClass.Options, 200));
    }

    [Fact]
    public void TryAcquire_OneClassExhausted_OtherClassesUnaffected()
    {
        var limiter = Limiter();

        Assert.Equal(20, Drain(limiter, Alice, TrafficClass.Register, 1000));

        Assert.Equal(50, Drain(limiter, Alice, TrafficClass.Options, 1000));
        Assert.Equal(100, Drain(limiter, Alice, TrafficClass.Other, 1000));
    }

    [Fact]
    public void TryAcquire_FloodFromOneSource_OtherSourceKeepsFullBurst()
    {
        var limiter = Limiter();

        Assert.Equal(100, Drain(limiter, Alice, TrafficClass.Other, 100_000));

        Assert.Equal(100, Drain(limiter, Bob, TrafficClass.Other, 1000));
    }

    [Fact]
    public async Task TryAcquire_ConcurrentFloodFromOneSource_OtherSourceGetsItsBurstAndRate()
    {
        var limiter = Limiter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var flood = Task.Run(() =>
        {
            var attempts = 0;
            while (!stop.IsCancellationRequested && attempts < 5_000_000)
            {
                limiter.TryAcquire(Alice, TrafficClass.Other);
                attempts++;
            }
        });

        var bobGranted = Drain(limiter, Bob, TrafficClass.Other, 150);
        _time.Advance(TimeSpan.FromSeconds(1));
        var bobRefilled = Drain(limiter, Bob, TrafficClass.Other, 150);
        await stop.CancelAsync();
        await flood;

        Assert.Equal(100, bobGranted);
        Assert.Equal(20, bobRefilled);
    }

    [Fact]
    public void TryAcquire_MappedAndPlainIpv4_ShareOneBucket()
    {
        var limiter = Limiter();

        Assert.Equal(10, Drain(limiter, IPAddress.Parse("127.0.0.1"), TrafficClass.Register, 10));

        Assert.Equal(10, Drain(limiter, IPAddress.Parse("::ffff:127.0.0.1"), TrafficClass.Register, 100));
    }

    [Fact]
    public void TryAcquire_Ipv6SameSlash64_SharesBucketButOtherPrefixDoesNot()
    {
        var limiter = Limiter();

        Assert.Equal(20, Drain(limiter, IPAddress.Parse("2001:db8:0:1::1"), TrafficClass.Register, 100));
        Assert.Equal(0, Drain(limiter, IPAddress.Parse("2001:db8:0:1::2"), TrafficClass.Register, 100));
        Assert.Equal(20, Drain(limiter, IPAddress.Parse("2001:db8:0:2::1"), TrafficClass.Register, 100));
    }

    [Fact]
    public void TryAcquire_ManyDistinctSources_TrackedSourcesStaysWithinCap()
    {
        var limiter = Limiter(o => o.MaxTrackedSources = 1000);

        for (var i = 0; i < 20_000; i++)
        {
            var source = new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
            Assert.True(limiter.TryAcquire(source, TrafficClass.Options));
            Assert.InRange(limiter.TrackedSources, 1, 1000);
        }
    }

    [Fact]
    public void TryAcquire_CapReached_LeastRecentlySeenSourceIsForgotten()
    {
        var limiter = Limiter(o => o.MaxTrackedSources = 1);
        Drain(limiter, Alice, TrafficClass.Register, 20);

        Assert.True(limiter.TryAcquire(Bob, TrafficClass.Register));

        Assert.Equal(1, limiter.TrackedSources);
        Assert.Equal(20, Drain(limiter, Alice, TrafficClass.Register, 100));
    }

    [Fact]
    public void ForgetIdleSources_SourcesIdleUntilRefilled_AreForgottenOthersKept()
    {
        var limiter = Limiter();
        for (var i = 0; i < 100; i++)
        {
            limiter.TryAcquire(new IPAddress([127, 0, 1, (byte)i]), TrafficClass.Other);
        }

        // The slowest default buckets (Options: 50 at 10/s, Other: 100 at 20/s) are full again after 5 s.
        _time.Advance(TimeSpan.FromSeconds(4));
        limiter.TryAcquire(Alice, TrafficClass.Register);
        Assert.Equal(0, limiter.ForgetIdleSources());
        Assert.Equal(101, limiter.TrackedSources);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(100, limiter.ForgetIdleSources());
        Assert.Equal(1, limiter.TrackedSources);
    }

    [Fact]
    public async Task TryAcquire_ConcurrentHammering_GrantsExactlyBurstPerSourceAndStaysWithinCap()
    {
        var limiter = Limiter(o => o.MaxTrackedSources = 4096);
        const int Workers = 4;
        const int Sources = 64;
        var granted = new int[Sources];
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() =>
        {
            for (var round = 0; round < 200; round++)
            {
                for (var s = 0; s < Sources; s++)
                {
                    if (limiter.TryAcquire(new IPAddress([127, 1, 0, (byte)s]), TrafficClass.Register))
                    {
                        Interlocked.Increment(ref granted[s]);
                    }
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(granted, g => Assert.Equal(20, g));
        Assert.Equal(Sources, limiter.TrackedSources);
    }

    [Fact]
    public void Classify_SipMethods_MapToClasses()
    {
        Assert.Equal(TrafficClass.Register, SourceRateLimiter.Classify("REGISTER"));
        Assert.Equal(TrafficClass.Options, SourceRateLimiter.Classify("OPTIONS"));
        Assert.Equal(TrafficClass.Other, SourceRateLimiter.Classify("INVITE"));
        Assert.Equal(TrafficClass.Other, SourceRateLimiter.Classify("register"));
    }

    [Fact]
    public void Validate_BadValues_NameKeys()
    {
        var options = new SecurityOptions { RegisterPerSecond = 0, OptionsBurst = 0, MaxTrackedSources = 0, Ipv6PrefixLength = 129 };

        Assert.Equal(
            [
                "Security:RegisterPerSecond must be a positive number (got 0).",
                "Security:OptionsBurst must be at least 1 (got 0).",
                "Security:MaxTrackedSources must be at least 1 (got 0).",
                "Security:Ipv6PrefixLength must be between 1 and 128 (got 129).",
            ],
            options.Validate());
    }
}
