using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Intake.Server.Observability;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Server.Tests.Observability;

/// <summary>An <see cref="IntakeMetrics"/> of its own (own meter factory) with a listener recording what it reports.</summary>
internal sealed class MetricsCapture : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _recorded = new();

    public MetricsCapture()
    {
        _services = new ServiceCollection().AddMetrics().AddSingleton<IntakeMetrics>().BuildServiceProvider();
        Metrics = _services.GetRequiredService<IntakeMetrics>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Metrics.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    public IntakeMetrics Metrics { get; }

    /// <summary>Sum of the values recorded by <paramref name="instrument"/> whose tags include all of <paramref name="tags"/>.</summary>
    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        Matching(_recorded, instrument, tags).Sum(r => r.Value);

    /// <summary>Runs the observable callbacks once and returns what <paramref name="instrument"/> reported.</summary>
    public List<Recorded> Observe(string instrument, params (string Key, string Value)[] tags)
    {
        _recorded.Clear();
        _listener.RecordObservableInstruments();
        return [.. Matching(_recorded, instrument, tags)];
    }

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private static IEnumerable<Recorded> Matching(IEnumerable<Recorded> recorded, string instrument, (string Key, string Value)[] tags) =>
        recorded.Where(r => r.Instrument == instrument && tags.All(t => r.Tags.TryGetValue(t.Key, out var v) && v == t.Value));

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value?.ToString() ?? string.Empty;
        }

        _recorded.Enqueue(new Recorded(instrument.Name, value, map));
    }

    internal sealed record Recorded(string Instrument, double Value, Dictionary<string, string> Tags);
}
