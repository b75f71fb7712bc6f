using Google.Protobuf.WellKnownTypes;
using Intake.Contracts.V1;

namespace Intake.Server.Tests.Storage;

/// <summary>Events as the call controller would append them.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static CallEvent Offered(string callId, string queue = "police", string caller = "+212600000001", DateTimeOffset? at = null) => new()
    {
        CallId = callId,
        Time = Timestamp.FromDateTimeOffset(at ?? Epoch),
        Offered = new CallOffered
        {
            CallerNumber = caller,
            DialledNumber = "19",
            Queue = queue,
            SourceAddress = "udp:127.0.0.1:5060",
            Location = new Location { Conveyance = "by-value", HasPoint = true, Latitude = 33.5731, Longitude = -7.5898 },
        },
    };

    public static CallEvent Queued(string callId, string queue = "police", DateTimeOffset? at = null) => new()
    {
        CallId = callId,
        Time = Timestamp.FromDateTimeOffset(at ?? Epoch),
        Queued = new CallQueued { Queue = queue, Position = 1 },
    };

    public static CallEvent Answered(string callId, string op = "alice", DateTimeOffset? at = null) => new()
    {
        CallId = callId,
        Time = Timestamp.FromDateTimeOffset(at ?? Epoch),
        Answered = new CallAnswered { Operator = op, WaitSeconds = 4 },
    };

    public static CallEvent Abandoned(string callId, DateTimeOffset? at = null) => new()
    {
        CallId = callId,
        Time = Timestamp.FromDateTimeOffset(at ?? Epoch),
        Abandoned = new CallAbandoned { WaitSeconds = 9, Stage = "queued" },
    };

    public static CallEvent Ended(string callId, string outcome = "answered", DateTimeOffset? at = null) => new()
    {
        CallId = callId,
        Time = Timestamp.FromDateTimeOffset(at ?? Epoch),
        Ended = new CallEnded { HungUpBy = "caller", Outcome = outcome, TalkSeconds = 30 },
    };

    public static CallEvent OperatorState(string op, string state, DateTimeOffset? at = null) => new()
    {
        Time = Timestamp.FromDateTimeOffset(at ?? Epoch),
        OperatorState = new OperatorStateChanged { Operator = op, State = state },
    };

    /// <summary>A DTMF event: cheap filler for volume tests, with the digit cycling so payloads differ.</summary>
    public static CallEvent Dtmf(string callId, int n) => new()
    {
        CallId = callId,
        Dtmf = new DtmfReceived { Digit = (n % 10).ToString(System.Globalization.CultureInfo.InvariantCulture), Leg = "caller", DurationMs = 100 },
    };
}
