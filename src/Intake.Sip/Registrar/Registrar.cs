using System.Globalization;
using Intake.Sip.Auth;
using Intake.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace Intake.Sip.Registrar;

/// <summary>
/// Processes REGISTER requests (RFC 3261 §10.3) for operator phones: authenticates with Digest, updates the
/// location service, persists bindings, and builds the response. The AOR is the digest username: an
/// operator may register only its own AOR. A periodic sweep (driven by the TimeProvider) removes lapsed
/// bindings and raises <see cref="LocationService.BindingExpired"/>.
/// </summary>
public sealed class Registrar : IDisposable
{
    private readonly RegistrarOptions _options;
    private readonly RequestAuthenticator _authenticator;
    private readonly LocationService _locations;
    private readonly IRegistrationStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ITimer _sweepTimer;

    public Registrar(
        RegistrarOptions options, RequestAuthenticator authenticator, LocationService locations,
        IRegistrationStore store, TimeProvider timeProvider, ILogger<Registrar> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinExpires, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxExpires, options.MinExpires);
        _options = options;
        _authenticator = authenticator;
        _locations = locations;
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
        _locations.BindingExpired += OnBindingExpired;
        _sweepTimer = timeProvider.CreateTimer(_ => Sweep(), null, options.SweepInterval, options.SweepInterval);
    }

    public LocationService Locations => _locations;

    /// <summary>Restores persisted bindings into the location service; call once at start-up.</summary>
    public int LoadPersisted() => _locations.Restore(_store.Load());

    /// <summary>Current contacts of an operator, most preferred first.</summary>
    public IReadOnlyList<RegistrationBinding> GetContacts(string username) => _locations.GetBindings(username);

    public async ValueTask<RegistrarResult> ProcessAsync(SipRequest request, RegistrationSource source, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.Method, SipMethods.Register, StringComparison.Ordinal))
        {
            throw new ArgumentException("Only REGISTER requests are processed by the registrar.", nameof(request));
        }

        // Step 1: only our domains (the Request-URI names the registrar's domain, §10.2).
        if (_options.Domains.Count > 0 && !_options.Domains.Contains(request.RequestUri.Host, StringComparer.OrdinalIgnoreCase))
        {
            return Refuse(request, source, 404, "Not Found - Unknown domain");
        }

        var to = request.To;
        if (to is null || to.Uri.Scheme is not ("sip" or "sips") || string.IsNullOrEmpty(to.Uri.User) || request.CallId is null
            || request.CSeq is not { } cseq)
        {
            return Refuse(request, source, 400, "Bad Request - Invalid address-of-record");
        }

        // Steps 3-4: authenticate, then authorize: an operator registers only its own AOR.
        var auth = await _authenticator.AuthenticateAsync(request, source.RemoteEndPoint.Address, asProxy: false, cancellationToken)
            .ConfigureAwait(false);
        if (!auth.IsAuthenticated)
        {
            return new RegistrarResult(auth.Rejection!, auth.Delay, null, null);
        }

        var aor = to.Uri.User;
        if (!string.Equals(auth.Username, aor, StringComparison.Ordinal))
        {
            return Refuse(request, source, 403, null, auth.Username);
        }

        // Steps 6-7: validate contacts and expiration.
        var read = RegisterRequestReader.Read(request, _options);
        if (read.StatusCode != 200)
        {
            var refused = Refuse(request, source, read.StatusCode, read.Reason, auth.Username);
            if (read.StatusCode == 423)
            {
                refused.Response.Headers.Add(SipHeaders.CanonicalName(HeaderId.MinExpires), _options.MinExpires.ToString(CultureInfo.InvariantCulture));
            }

            return refused;
        }

        var context = new RegisterRequestContext(request.CallId, cseq.Number, source, request.Headers.Get(HeaderId.UserAgent));
        var status = _locations.Apply(aor, read.Updates, read.RemoveAll, context, out var change);
        switch (status)
        {
            case BindingApplyStatus.OutOfOrder:
                // §10.3 step 7 aborts the request; a failed update is answered 500 (§10.3 step 8).
                return Refuse(request, source, 500, "Server Internal Error - Out of order CSeq", auth.Username);
            case BindingApplyStatus.TooManyContacts:
                return Refuse(request, source, 403, "Forbidden - Too many contacts", auth.Username);
        }

        Persist(change);
        return new RegistrarResult(BuildOk(request, change.Current), TimeSpan.Zero, change, auth.Username);
    }

    public void Dispose()
    {
        _sweepTimer.Dispose();
        _locations.BindingExpired -= OnBindingExpired;
    }

    private SipResponse BuildOk(SipRequest request, IReadOnlyList<RegistrationBinding> bindings)
    {
        var now = _timeProvider.GetUtcNow();
        var response = SipResponse.CreateFor(request, 200, null, RequestAuthenticator.NewTag());
        var contactName = SipHeaders.CanonicalName(HeaderId.Contact);
        foreach (var binding in bindings)
        {
            var remaining = (long)Math.Ceiling(binding.RemainingAt(now).TotalSeconds);
            response.Headers.Add(contactName, binding.Contact.WithParameter("expires", remaining.ToString(CultureInfo.InvariantCulture)).ToString());
        }

        // RFC 3261 §10.3 step 8: a Date header lets simple phones set their clocks.
        response.Headers.Add(SipHeaders.CanonicalName(HeaderId.Date), now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture));
        return response;
    }

    private void Persist(RegistrationChange change)
    {
        try
        {
            foreach (var binding in change.Removed)
            {
                _store.Remove(binding);
            }

            foreach (var binding in change.Added.Concat(change.Refreshed))
            {
                _store.Save(binding);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Availability wins over durability here: the phone stays registered in memory and will refresh.
            RegistrarLog.PersistFailed(_logger, change.Aor, exception);
        }

        foreach (var binding in change.Added)
        {
            LogChange(binding, "added");
        }

        foreach (var binding in change.Refreshed)
        {
            LogChange(binding, "refreshed");
        }

        foreach (var binding in change.Removed)
        {
            LogChange(binding, "removed");
        }
    }

    private void LogChange(RegistrationBinding binding, string change) =>
        RegistrarLog.BindingChanged(
            _logger, binding.Aor, binding.Contact.ToString(), change, binding.ExpiresAt, binding.Source.ToString(), binding.Transport);

    private RegistrarResult Refuse(SipRequest request, RegistrationSource source, int statusCode, string? reason, string? username = null)
    {
        var response = SipResponse.CreateFor(request, statusCode, reason, RequestAuthenticator.NewTag());
        RegistrarLog.RegisterRefused(_logger, request.To?.Uri.User ?? "?", source.RemoteEndPoint.ToString(), statusCode, response.ReasonPhrase);
        return new RegistrarResult(response, TimeSpan.Zero, null, username);
    }

    private void Sweep()
    {
        try
        {
            _locations.SweepExpired();
        }
        catch (Exception exception)
        {
            // An exception escaping a timer callback would end the process; a subscriber's fault must not.
            RegistrarLog.SweepFailed(_logger, exception);
        }
    }

    private void OnBindingExpired(object? sender, BindingEventArgs e)
    {
        RegistrarLog.BindingExpired(_logger, e.Binding.Aor, e.Binding.Contact.ToString());
        try
        {
            _store.Remove(e.Binding);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            RegistrarLog.PersistFailed(_logger, e.Binding.Aor, exception);
        }
    }
}
