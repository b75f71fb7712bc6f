using Intake.Server.Observability;
using Intake.Server.Operations;
using Intake.Server.Operators;
using Intake.Server.Security;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Sip;

/// <summary>
/// Intake's admission policy on the SIP receive path, applied to the raw message before it is parsed.
/// <list type="bullet">
/// <item>High priority (processed first, never shed): everything from a configured trunk; call traffic (responses,
/// INVITE, ACK, CANCEL, BYE, PRACK, UPDATE, INFO) from an address an operator's phone is registered from, so an
/// operator answering never waits behind a flood; and, with no trunk configured (every source may call), call
/// traffic from anyone.</item>
/// <item>Normal priority (processed right after, shed only when its queue is full): other call traffic when trunks
/// are configured, so a flood of INVITEs from outside can neither delay an emergency call nor stall the receive
/// loop.</item>
/// <item>Low priority: the rest (REGISTER, OPTIONS, SUBSCRIBE, unknown methods, garbage). It spends its source's
/// <see cref="SourceRateLimiter"/> bucket; past it the message is discarded unparsed and unanswered, so a flood costs
/// a start-line peek per datagram instead of a parse and a 503.</item>
/// </list>
/// Call traffic is not limited here: out-of-dialog call requests from outside the trunks are limited after parsing by
/// <see cref="IntakeRequestHandler"/>, which can tell in-dialog requests (never limited) from new ones.
/// </summary>
public sealed class IntakeInboundClassifier : ISipInboundClassifier
{
    private static readonly TimeSpan DiscardLogInterval = TimeSpan.FromSeconds(10);

    private readonly TrunkAcl _trunks;
    private readonly OperatorSourceIndex _operators;
    private readonly SourceRateLimiter _limiter;
    private readonly IntakeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly LogThrottle _discardLog;

    public IntakeInboundClassifier(TrunkAcl trunks, OperatorSourceIndex operators, SourceRateLimiter limiter, IntakeMetrics metrics, TimeProvider time, ILogger<IntakeInboundClassifier> logger)
    {
        _trunks = trunks;
        _operators = operators;
        _limiter = limiter;
        _metrics = metrics;
        _logger = logger;
        _discardLog = new LogThrottle(DiscardLogInterval, time);
    }

    /// <summary>True when the request's method is limited (and charged) before parsing, so the TU must not charge it again.</summary>
    public static bool IsLimitedBeforeParsing(string method) => !SipInboundClassifier.IsCallMethod(method);

    public SipInboundPriority Classify(SipEndPoint remote, SipStartLinePeek startLine)
    {
        var source = remote.Address.Address;

        // With no trunk configured every source matches, and then none is privileged beyond call traffic.
        if (!_trunks.AllowsAnySource && _trunks.TryMatch(source, out _))
        {
            return SipInboundPriority.High;
        }

        if (SipInboundClassifier.IsCallTraffic(startLine))
        {
            return _trunks.AllowsAnySource || _operators.Contains(source) ? SipInboundPriority.High : SipInboundPriority.Normal;
        }

        var method = startLine.Method ?? "other";
        if (_limiter.TryAcquire(source, SourceRateLimiter.Classify(method)))
        {
            return SipInboundPriority.Low;
        }

        _metrics.SourceRateLimited(method);
        if (_discardLog.TryEnter(out var discarded))
        {
            OperationsLog.RateLimitDiscarded(_logger, discarded, method, remote.ToString(), DiscardLogInterval);
        }

        return SipInboundPriority.Discard;
    }

    public void OnShed(SipEndPoint remote, SipStartLinePeek startLine) => _metrics.InboundShed();
}
