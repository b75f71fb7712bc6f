using Microsoft.Extensions.Logging;

namespace Intake.Sip.Registrar;

/// <summary>
/// Probes every binding with OPTIONS at a fixed interval so the ACD stops offering calls to a phone that
/// vanished without un-registering, long before its registration would expire. The host runs
/// <see cref="RunAsync"/> from a BackgroundService.
/// </summary>
public sealed class BindingKeepAlive
{
    private readonly LocationService _locations;
    private readonly IBindingKeepAliveSender _sender;
    private readonly BindingKeepAliveOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Dictionary<(string Aor, string Key), int> _failures = new();
    private readonly Lock _lock = new();

    public BindingKeepAlive(
        LocationService locations, IBindingKeepAliveSender sender, BindingKeepAliveOptions options,
        TimeProvider timeProvider, ILogger<BindingKeepAlive> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.FailureThreshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Interval, TimeSpan.Zero);
        _locations = locations;
        _sender = sender;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // A periodic timer keeps its schedule while a round is running, so slow probes do not drift it.
        using var timer = new PeriodicTimer(_options.Interval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ProbeAllAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    /// <summary>One round: probes every current binding, at most MaxConcurrentProbes at a time.</summary>
    public async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        var bindings = _locations.GetAllBindings();
        ForgetVanished(bindings);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentProbes, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(bindings, parallel, ProbeAsync).ConfigureAwait(false);
    }

    private async ValueTask ProbeAsync(RegistrationBinding binding, CancellationToken cancellationToken)
    {
        bool alive;
        try
        {
            alive = await _sender.SendOptionsAsync(binding, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            RegistrarLog.ProbeFailed(_logger, binding.Aor, binding.Contact.ToString(), exception);
            alive = false;
        }

        int failures;
        lock (_lock)
        {
            failures = alive ? 0 : _failures.GetValueOrDefault((binding.Aor, binding.Key)) + 1;
            _failures[(binding.Aor, binding.Key)] = failures;
        }

        if (alive && !binding.IsReachable && _locations.SetReachable(binding, true))
        {
            RegistrarLog.BindingReachable(_logger, binding.Aor, binding.Contact.ToString());
        }
        else if (failures >= _options.FailureThreshold && binding.IsReachable && _locations.SetReachable(binding, false))
        {
            RegistrarLog.BindingUnreachable(_logger, binding.Aor, binding.Contact.ToString(), failures);
        }
    }

    private void ForgetVanished(IReadOnlyList<RegistrationBinding> current)
    {
        var keys = current.Select(b => (b.Aor, b.Key)).ToHashSet();
        lock (_lock)
        {
            foreach (var key in _failures.Keys)
            {
                if (!keys.Contains(key))
                {
                    _failures.Remove(key);
                }
            }
        }
    }
}
