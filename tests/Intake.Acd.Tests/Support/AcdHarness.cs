using Intake.Acd.Configuration;
using Intake.Acd.Decisions;
using Intake.Acd.Distribution;
using Intake.Acd.Engine;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Acd.Tests.Support;

/// <summary>An engine on a fake clock plus helpers to read the decisions it emitted since the last drain.</summary>
internal sealed class AcdHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public AcdHarness(AcdOptions options, Func<AcdQueueOptions, IDistributionStrategy>? strategyFactory = null)
    {
        Time = new FakeTimeProvider(Start);
        Engine = new AcdEngine(options, Time, strategyFactory);
    }

    public FakeTimeProvider Time { get; }

    public AcdEngine Engine { get; }

    public List<AcdDecision> Log { get; } = [];

    public void Advance(double seconds) => Time.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Decisions emitted since the previous call.</summary>
    public List<AcdDecision> Drain()
    {
        var drained = new List<AcdDecision>();
        while (Engine.Decisions.TryRead(out var decision))
        {
            drained.Add(decision);
            Log.Add(decision);
        }

        return drained;
    }

    public List<T> Drain<T>()
        where T : AcdDecision => Drain().OfType<T>().ToList();

    public void RegisterAll(params string[] usernames)
    {
        foreach (var username in usernames)
        {
            Assert.Equal(AcdResult.Ok, Engine.OperatorRegistered(username));
        }
    }

    /// <summary>Asserts the only offer emitted since the last drain and returns its operators.</summary>
    public OfferCall SingleOffer()
    {
        var offers = Drain<OfferCall>();
        return Assert.Single(offers);
    }

    public void Dispose() => Engine.Dispose();
}
