using System.Diagnostics.CodeAnalysis;
using System.Net;
using Intake.Sip.Auth;
using Intake.Sip.Core;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;
using Intake.Sip.Transactions;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Operators;

/// <summary>
/// The operators' softphones as the server sees them: digest authentication against the configured accounts, the
/// registrar and its persisted location service, and the per-operator availability the ACD is fed from.
/// <see cref="BindingsChanged"/> fires when an operator gains its first binding or loses its last one (un-REGISTER,
/// expiry) and when an unreachable operator answers again; <see cref="Unreachable"/> when keep-alive probing has given
/// up on every binding of a still registered operator. Subscribers run synchronously, one event at a time, in order.
/// </summary>
public sealed class OperatorDirectory : IDisposable
{
    private readonly OperatorDirectoryOptions _options;
    private readonly ConfiguredCredentialStore _credentials;
    private readonly AuthFailureTracker _failures;
    private readonly RequestAuthenticator _authenticator;
    private readonly LocationService _locations;
    private readonly Registrar _registrar;
    private readonly DelayedResponder _responder;
    private readonly ITimer _failureSweep;
    private readonly ILogger _logger;
    private readonly Dictionary<string, OperatorAvailability> _availability = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _started;

    public OperatorDirectory(OperatorDirectoryOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = loggerFactory.CreateLogger<OperatorDirectory>();
        _credentials = new ConfiguredCredentialStore(options.Operators, options.Realm);
        var digest = new DigestAuthenticator(new DigestAuthenticatorOptions { Realm = options.Realm, NonceSecret = options.NonceSecret, Algorithms = options.Algorithms }, timeProvider);
        _failures = new AuthFailureTracker(options.FailureTracking, timeProvider, loggerFactory.CreateLogger<AuthFailureTracker>());
        _authenticator = new RequestAuthenticator(digest, _failures, _credentials);
        _locations = new LocationService(timeProvider, options.Registrar.MaxContactsPerAor);
        var store = new JsonFileRegistrationStore(options.RegistrationsDirectory, loggerFactory.CreateLogger<JsonFileRegistrationStore>());
        _registrar = new Registrar(options.Registrar, _authenticator, _locations, store, timeProvider, loggerFactory.CreateLogger<Registrar>());
        _responder = new DelayedResponder(timeProvider, _logger);
        _locations.BindingExpired += OnBindingChanged;
        _locations.BindingReachabilityChanged += OnBindingChanged;
        _failureSweep = timeProvider.CreateTimer(_ => _failures.Sweep(), null, options.FailureSweepInterval, options.FailureSweepInterval);
    }

    /// <summary>(username, registered): true when the operator can now be offered calls, false when it has no binding left.</summary>
    public event Action<string, bool>? BindingsChanged;

    /// <summary>Every binding of the (still registered) operator failed its keep-alive probes.</summary>
    public event Action<string>? Unreachable;

    public string Realm => _options.Realm;

    public LocationService Locations => _locations;

    /// <summary>The addresses the operators' phones registered from (kept up to date with every binding change).</summary>
    public OperatorSourceIndex Sources { get; } = new();

    /// <summary>Held failure responses not yet sent (authentication slowdown).</summary>
    public int PendingDelayedResponses => _responder.PendingCount;

    /// <summary>Operators with at least one current binding, reachable or not, in ordinal order.</summary>
    public IReadOnlyList<string> RegisteredUsernames =>
        [.. _locations.GetAllBindings().Select(b => b.Aor).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public bool IsOperator(string username) => _credentials.Contains(username);

    public OperatorAvailability GetAvailability(string username) => Evaluate(_locations.GetBindings(username));

    /// <summary>Current bindings of the operator, most preferred first.</summary>
    public IReadOnlyList<RegistrationBinding> GetBindings(string username) => _registrar.GetContacts(username);

    /// <summary>
    /// Restores the persisted bindings (once; later calls return 0) and raises <see cref="BindingsChanged"/> for each
    /// operator that comes back registered. Call before the SIP transports start receiving.
    /// </summary>
    public int Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return 0;
        }

        var restored = _registrar.LoadPersisted();
        var operators = RegisteredUsernames;
        OperatorLog.Restored(_logger, restored, operators.Count, _options.RegistrationsDirectory);
        foreach (var username in operators)
        {
            Reevaluate(username);
        }

        return restored;
    }

    /// <summary>
    /// Handles a REGISTER transaction: answers it (failure answers held back by the slowdown are sent later, off the
    /// receive path) and raises the availability events its binding changes cause.
    /// </summary>
    public async ValueTask OnRegisterAsync(SipServerTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var result = await ProcessRegisterAsync(transaction.Request, RegistrationSources.From(transaction), cancellationToken).ConfigureAwait(false);
        await _responder.SendAsync(transaction, result.Response, result.Delay).ConfigureAwait(false);
    }

    /// <summary>The registrar step of <see cref="OnRegisterAsync"/>, without sending: the response and how long to hold it.</summary>
    public async ValueTask<RegistrarResult> ProcessRegisterAsync(SipRequest request, RegistrationSource source, CancellationToken cancellationToken)
    {
        var result = await _registrar.ProcessAsync(request, source, cancellationToken).ConfigureAwait(false);
        if (result.Change is { IsEmpty: false } change)
        {
            Reevaluate(change.Aor);
        }

        return result;
    }

    /// <summary>
    /// Digest-authenticates a request from an operator's phone (an INVITE to a feature code, say). When the result is
    /// not authenticated its 401/407/403/400 has already been sent, or is scheduled after the slowdown delay, and
    /// the caller must not answer the transaction; otherwise <see cref="RequestAuthResult.Username"/> is the operator.
    /// </summary>
    /// <param name="transaction">The server transaction of the request.</param>
    /// <param name="asProxy">True to challenge with 407 / Proxy-Authenticate (what phones expect for INVITE through a proxy).</param>
    /// <param name="cancellationToken">Cancels the credential lookup.</param>
    public async ValueTask<RequestAuthResult> AuthenticateAsync(
        SipServerTransaction transaction, bool asProxy = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var source = RegistrationSources.From(transaction);
        var result = await AuthenticateAsync(transaction.Request, source.RemoteEndPoint.Address, asProxy, cancellationToken).ConfigureAwait(false);
        if (!result.IsAuthenticated)
        {
            if (result.Verification is { } verdict && verdict.Outcome != DigestOutcome.Challenge)
            {
                OperatorLog.AuthRefused(
                    _logger, transaction.Request.Method, source.RemoteEndPoint.ToString(), result.Rejection!.StatusCode, verdict.Error ?? verdict.Outcome.ToString());
            }

            await _responder.SendAsync(transaction, result.Rejection!, result.Delay).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>The verdict alone, without sending anything.</summary>
    public ValueTask<RequestAuthResult> AuthenticateAsync(SipRequest request, IPAddress source, bool asProxy, CancellationToken cancellationToken) =>
        _authenticator.AuthenticateAsync(request, source, asProxy, cancellationToken);

    /// <summary>Where an INVITE to the operator goes: registered Contact as Request-URI, and the next hop.</summary>
    public bool TryGetTarget(string username, [NotNullWhen(true)] out SipUri? contact, out SipEndPoint destination)
    {
        if (TryGetTarget(username, out OperatorTarget? target))
        {
            contact = target.RequestUri;
            destination = target.Destination;
            return true;
        }

        contact = null;
        destination = default;
        return false;
    }

    /// <summary>
    /// The binding to call: a reachable one before an unreachable one, then the highest q, then the most recently
    /// refreshed. False only when the operator has no current binding.
    /// </summary>
    public bool TryGetTarget(string username, [NotNullWhen(true)] out OperatorTarget? target)
    {
        var best = _registrar.GetContacts(username)
            .OrderByDescending(b => b.IsReachable)
            .ThenByDescending(b => b.Q ?? 1.0)
            .ThenByDescending(b => b.UpdatedAt)
            .FirstOrDefault();
        target = best is null ? null : ToTarget(best);
        return target is not null;
    }

    /// <summary>Every current binding as a target, in the order of <see cref="TryGetTarget(string, out OperatorTarget?)"/> (for forking).</summary>
    public IReadOnlyList<OperatorTarget> GetTargets(string username) =>
        [.. _registrar.GetContacts(username)
            .OrderByDescending(b => b.IsReachable)
            .ThenByDescending(b => b.Q ?? 1.0)
            .ThenByDescending(b => b.UpdatedAt)
            .Select(ToTarget)];

    /// <summary>The next hop for a binding: its source when the Contact is not directly usable (NAT, host name), else the Contact.</summary>
    public static OperatorTarget ToTarget(RegistrationBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var connectionId = long.TryParse(binding.ConnectionId, out var id) ? id : 0;
        var viaSource = new SipEndPoint(binding.Transport, binding.Source);
        if (binding.PrefersSource || !SipDestinationResolver.TryResolve(binding.ContactUri, out var destination))
        {
            return new OperatorTarget(binding.ContactUri, viaSource, connectionId, binding);
        }

        // A connection only carries requests to the transport and address it was made from.
        return new OperatorTarget(binding.ContactUri, destination, destination == viaSource ? connectionId : 0, binding);
    }

    /// <summary>Drops held failure responses and waits for their tasks (host shutdown).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _responder.StopAsync(cancellationToken);

    public void Dispose()
    {
        _failureSweep.Dispose();
        _locations.BindingExpired -= OnBindingChanged;
        _locations.BindingReachabilityChanged -= OnBindingChanged;
        _registrar.Dispose();
        _responder.Dispose();
    }

    private void OnBindingChanged(object? sender, BindingEventArgs e) => Reevaluate(e.Binding.Aor);

    private static OperatorAvailability Evaluate(IReadOnlyList<RegistrationBinding> bindings) =>
        bindings.Count == 0 ? OperatorAvailability.Unregistered
        : bindings.Any(b => b.IsReachable) ? OperatorAvailability.Reachable
        : OperatorAvailability.Unreachable;

    /// <summary>
    /// Compares the operator's availability with the last one announced and announces the difference. Done under
    /// the lock, subscribers included, so that two racing changes cannot be announced in the wrong order.
    /// </summary>
    private void Reevaluate(string username)
    {
        lock (_lock)
        {
            var bindings = _locations.GetBindings(username);
            Sources.Update(username, bindings);
            var now = Evaluate(bindings);
            var before = _availability.GetValueOrDefault(username, OperatorAvailability.Unregistered);
            if (now == before)
            {
                return;
            }

            if (now == OperatorAvailability.Unregistered)
            {
                _availability.Remove(username);
            }
            else
            {
                _availability[username] = now;
            }

            switch (now)
            {
                case OperatorAvailability.Reachable:
                    if (before == OperatorAvailability.Unreachable)
                    {
                        OperatorLog.ReachableAgain(_logger, username);
                    }
                    else
                    {
                        OperatorLog.Registered(_logger, username);
                    }

                    Raise(nameof(BindingsChanged), username, () => BindingsChanged?.Invoke(username, true));
                    break;
                case OperatorAvailability.Unreachable:
                    if (before == OperatorAvailability.Unregistered)
                    {
                        // First seen already unreachable: the registration is news too, and comes first.
                        Raise(nameof(BindingsChanged), username, () => BindingsChanged?.Invoke(username, true));
                    }

                    OperatorLog.Unreachable(_logger, username);
                    Raise(nameof(Unreachable), username, () => Unreachable?.Invoke(username));
                    break;
                default:
                    OperatorLog.Unregistered(_logger, username);
                    Raise(nameof(BindingsChanged), username, () => BindingsChanged?.Invoke(username, false));
                    break;
            }
        }
    }

    private void Raise(string eventName, string username, Action raise)
    {
        try
        {
            raise();
        }
        catch (Exception exception)
        {
            // A subscriber's fault must not fail the REGISTER, nor escape a timer callback.
            OperatorLog.SubscriberFailed(_logger, eventName, username, exception);
        }
    }
}
