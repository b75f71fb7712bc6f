using System.Net;
using Intake.Server.Operators;
using Intake.Server.Security;
using Intake.Server.Sip;
using Intake.Server.Tests.Observability;
using Intake.Sip;
using Intake.Sip.Messages;
using Intake.Sip.Registrar;
using Intake.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Server.Tests.Sip;

public sealed class IntakeInboundClassifierTests : IDisposable
{
    private static readonly SipEndPoint Trunk = Udp("127.0.0.2");
    private static readonly SipEndPoint Softphone = Udp("127.0.0.30");
    private static readonly SipEndPoint Flooder = Udp("127.0.0.40");

    private readonly FakeTimeProvider _time = new();
    private readonly MetricsCapture _capture = new();

    public void Dispose() => _capture.Dispose();

    private static SipEndPoint Udp(string address) => new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse(address), 5060));

    private readonly OperatorSourceIndex _operators = new();

    private IntakeInboundClassifier Classifier(bool withTrunk = true, int registerBurst = 3)
    {
        var trunks = new TrunkAcl(withTrunk ? [new TrunkOptions { Name = "pstn", Sources = ["127.0.0.2"] }] : []);
        var limiter = new SourceRateLimiter(new SecurityOptions { RegisterBurst = registerBurst, RegisterPerSecond = 1 }, _time);
        return new IntakeInboundClassifier(trunks, _operators, limiter, _capture.Metrics, _time, NullLogger<IntakeInboundClassifier>.Instance);
    }

    private static RegistrationBinding Binding(string aor, string source) => new()
    {
        Aor = aor,
        Contact = SipNameAddress.TryParse($"<sip:{aor}@{source}:5070>", out var contact) ? contact! : throw new FormatException(source),
        CallId = "reg-" + aor,
        CSeq = 1,
        RegisteredAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = DateTimeOffset.UnixEpoch.AddHours(1),
        Source = new IPEndPoint(IPAddress.Parse(source), 5070),
        Transport = SipTransportProtocol.Udp,
    };

    private static int Count(IntakeInboundClassifier classifier, SipEndPoint source, string method, int attempts, SipInboundPriority expected) =>
        Enumerable.Range(0, attempts).Count(_ => classifier.Classify(source, SipStartLinePeek.Request(method)) == expected);

    [Fact]
    public void Classify_RegisterFloodFromOneSource_BurstAdmittedLowThenDiscardedAndCounted()
    {
        var classifier = Classifier();

        var admitted = Count(classifier, Flooder, SipMethods.Register, 100, SipInboundPriority.Low);

        Assert.Equal(3, admitted);
        Assert.Equal(97, _capture.Sum("intake.security.requests_rejected", ("reason", "rate_limit"), ("method", "REGISTER")));
    }

    [Fact]
    public void Classify_FloodFromOneSource_OtherSourcesStillAdmitted()
    {
        var classifier = Classifier();
        Count(classifier, Flooder, SipMethods.Register, 100, SipInboundPriority.Low);

        Assert.Equal(SipInboundPriority.Low, classifier.Classify(Softphone, SipStartLinePeek.Request(SipMethods.Register)));
    }

    [Fact]
    public void Classify_AfterRefill_SourceAdmittedAgain()
    {
        var classifier = Classifier();
        Count(classifier, Flooder, SipMethods.Register, 10, SipInboundPriority.Low);
        var whileEmpty = classifier.Classify(Flooder, SipStartLinePeek.Request(SipMethods.Register));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(SipInboundPriority.Discard, whileEmpty);
        Assert.Equal(SipInboundPriority.Low, classifier.Classify(Flooder, SipStartLinePeek.Request(SipMethods.Register)));
    }

    [Theory]
    [InlineData(SipMethods.Invite)]
    [InlineData(SipMethods.Register)]
    [InlineData(SipMethods.Options)]
    [InlineData(null)]
    public void Classify_AnythingFromTrunk_HighAndNeverLimited(string? method)
    {
        var classifier = Classifier();

        var high = Count(classifier, Trunk, method!, 1000, SipInboundPriority.High);

        Assert.Equal(1000, high);
        Assert.Equal(0, _capture.Sum("intake.security.requests_rejected"));
    }

    [Theory]
    [InlineData(SipMethods.Invite)]
    [InlineData(SipMethods.Ack)]
    [InlineData(SipMethods.Cancel)]
    [InlineData(SipMethods.Bye)]
    public void Classify_CallMethodFromNonTrunk_NormalBehindTheTrunksAndLeftToTheTransactionUser(string method)
    {
        var classifier = Classifier();

        var normal = Count(classifier, Softphone, method, 500, SipInboundPriority.Normal);

        Assert.Equal(500, normal);
        Assert.Equal(0, _capture.Sum("intake.security.requests_rejected"));
        Assert.False(IntakeInboundClassifier.IsLimitedBeforeParsing(method));
    }

    [Theory]
    [InlineData(SipMethods.Invite)]
    [InlineData(SipMethods.Bye)]
    [InlineData(null)]
    public void Classify_CallTrafficFromARegisteredOperatorsAddress_HighLikeTheTrunks(string? method)
    {
        // An operator answering (200 OK) or hanging up must not wait behind a flood from outside the trunks.
        var classifier = Classifier();
        _operators.Update("op1001", [Binding("op1001", "127.0.0.30")]);

        var priority = method is null
            ? classifier.Classify(Softphone, SipStartLinePeek.Response)
            : classifier.Classify(Softphone, SipStartLinePeek.Request(method));
        _operators.Update("op1001", []);
        var afterUnregister = classifier.Classify(Softphone, SipStartLinePeek.Response);

        Assert.Equal(SipInboundPriority.High, priority);
        Assert.Equal(SipInboundPriority.Normal, afterUnregister);
        Assert.Equal(SipInboundPriority.Low, classifier.Classify(Softphone, SipStartLinePeek.Request(SipMethods.Register)));
    }

    [Fact]
    public void Classify_ResponsesFromNonTrunk_Normal()
    {
        var classifier = Classifier();

        Assert.Equal(SipInboundPriority.Normal, classifier.Classify(Softphone, SipStartLinePeek.Response));
    }

    [Theory]
    [InlineData(SipMethods.Invite)]
    [InlineData(SipMethods.Bye)]
    [InlineData(null)]
    public void Classify_NoTrunkConfigured_CallTrafficFromAnyoneHigh(string? method)
    {
        // Every source may call then: none of them may be put behind another.
        var classifier = Classifier(withTrunk: false);

        Assert.Equal(SipInboundPriority.High, method is null
            ? classifier.Classify(Softphone, SipStartLinePeek.Response)
            : classifier.Classify(Softphone, SipStartLinePeek.Request(method)));
    }

    [Fact]
    public void Classify_NoTrunkConfigured_RegisterFloodStillLimited()
    {
        var classifier = Classifier(withTrunk: false);

        var admitted = Count(classifier, Trunk, SipMethods.Register, 50, SipInboundPriority.Low);

        Assert.Equal(3, admitted);
        Assert.True(IntakeInboundClassifier.IsLimitedBeforeParsing(SipMethods.Register));
    }

    [Fact]
    public void Classify_MalformedFlood_LimitedAsOther()
    {
        var classifier = Classifier();

        var discarded = Enumerable.Range(0, 300).Count(_ => classifier.Classify(Flooder, SipStartLinePeek.Malformed) == SipInboundPriority.Discard);

        Assert.Equal(200, discarded);
        Assert.Equal(200, _capture.Sum("intake.security.requests_rejected", ("reason", "rate_limit"), ("method", "other")));
    }

    [Fact]
    public void OnShed_LowQueueFull_CountedAsShed()
    {
        var classifier = Classifier();

        classifier.OnShed(Flooder, SipStartLinePeek.Request(SipMethods.Options));

        Assert.Equal(1, _capture.Sum("intake.sip.inbound.shed"));
    }
}
