using System.Net;
using System.Security.Cryptography;
using Intake.Sip.Messages;

namespace Intake.Sip.Auth;

/// <summary>
/// Digest authentication of a whole SIP request for a UAS (registrar, or INVITE/REFER from operator phones):
/// picks our credentials among the Authorization (or Proxy-Authorization) headers, applies the failure
/// tracker and builds the response to send. Enumeration resistance: the challenge never depends on the
/// username, and unknown users, wrong passwords and locked-out sources all get the same 403.
/// </summary>
public sealed class RequestAuthenticator
{
    private readonly DigestAuthenticator _digest;
    private readonly AuthFailureTracker _failures;
    private readonly IOperatorCredentialStore _credentials;

    public RequestAuthenticator(DigestAuthenticator digest, AuthFailureTracker failures, IOperatorCredentialStore credentials)
    {
        _digest = digest;
        _failures = failures;
        _credentials = credentials;
    }

    /// <param name="request">The request to authenticate.</param>
    /// <param name="source">The packet source address (the failure tracker's key).</param>
    /// <param name="asProxy">True to use Proxy-Authorization / 407 / Proxy-Authenticate instead of 401.</param>
    /// <param name="cancellationToken">Cancels the credential lookup.</param>
    public async ValueTask<RequestAuthResult> AuthenticateAsync(
        SipRequest request, IPAddress source, bool asProxy, CancellationToken cancellationToken)
    {
        var headerId = asProxy ? HeaderId.ProxyAuthorization : HeaderId.Authorization;
        var header = SelectCredentials(request.Headers.GetAll(headerId));
        if (header is null)
        {
            return new RequestAuthResult(null, Challenge(request, asProxy, stale: false), TimeSpan.Zero, null);
        }

        DigestCredentials.TryParse(header, out var parsed, out _);
        var throttle = _failures.Check(source, parsed?.Username);
        var verdict = await _digest.VerifyAsync(header, request.Method, request.RequestUri.ToString(), _credentials, cancellationToken)
            .ConfigureAwait(false);
        if (throttle.IsLockedOut && verdict.Outcome is DigestOutcome.Authenticated or DigestOutcome.Stale or DigestOutcome.Replayed)
        {
            // Even the right password is refused, and answered exactly like a wrong one.
            verdict = verdict with { Outcome = DigestOutcome.Forbidden, Error = "locked out" };
        }

        switch (verdict.Outcome)
        {
            case DigestOutcome.Authenticated:
                _failures.RecordSuccess(source, verdict.Username!);
                return new RequestAuthResult(verdict.Username, null, TimeSpan.Zero, verdict);
            case DigestOutcome.Challenge:
                return new RequestAuthResult(null, Challenge(request, asProxy, stale: false), throttle.Delay, verdict);
            case DigestOutcome.Stale:
            case DigestOutcome.Replayed:
                return new RequestAuthResult(null, Challenge(request, asProxy, stale: true), throttle.Delay, verdict);
            case DigestOutcome.Malformed:
                var malformedDelay = _failures.RecordFailure(source, verdict.Username).Delay;
                var badRequest = SipResponse.CreateFor(request, 400, "Bad Request - " + verdict.Error, NewTag());
                return new RequestAuthResult(null, badRequest, Max(malformedDelay, throttle.Delay), verdict);
            default:
                var delay = throttle.IsLockedOut ? throttle.Delay : _failures.RecordFailure(source, verdict.Username).Delay;
                return new RequestAuthResult(null, SipResponse.CreateFor(request, 403, null, NewTag()), delay, verdict);
        }
    }

    /// <summary>Builds a 401 (or 407) carrying one challenge per offered algorithm, preferred first.</summary>
    public SipResponse Challenge(SipRequest request, bool asProxy, bool stale)
    {
        var response = SipResponse.CreateFor(request, asProxy ? 407 : 401, null, NewTag());
        var name = SipHeaders.CanonicalName(asProxy ? HeaderId.ProxyAuthenticate : HeaderId.WwwAuthenticate);
        foreach (var challenge in _digest.CreateChallenges(stale))
        {
            response.Headers.Add(name, challenge.ToHeaderValue());
        }

        return response;
    }

    /// <summary>
    /// The header meant for our realm; failing that, the first unparsable one (so its fault is reported);
    /// null when there are only credentials for other realms, or none.
    /// </summary>
    private string? SelectCredentials(IReadOnlyList<string> headers)
    {
        string? malformed = null;
        foreach (var header in headers)
        {
            if (!DigestCredentials.TryParse(header, out var credentials, out _))
            {
                malformed ??= header;
            }
            else if (string.Equals(credentials!.Realm, _digest.Realm, StringComparison.Ordinal))
            {
                return header;
            }
        }

        return malformed;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    internal static string NewTag() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
}
