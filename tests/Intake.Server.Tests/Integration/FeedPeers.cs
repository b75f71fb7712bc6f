using V1 = Intake.Contracts.V1;

namespace Intake.Server.Tests.Integration;

/// <summary>The SIPp peers and server settings the call-feed tests share: callers, an operator phone, event filters.</summary>
internal static class FeedPeers
{
    public const string Operator = "op1001";
    public const string OperatorPassword = "op1001-Secret!";

    public static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    /// <summary>SIPp phones do not answer keep-alive OPTIONS; an operator is offered the next call as soon as one ends.</summary>
    public static readonly string[] ServerArgs = ["--Intake:OperatorKeepAliveSeconds=0", "--Queues:0:WrapUpSeconds=0"];

    public static string Target(IntakeServerProcess server) => $"127.0.0.1:{server.SipPort}";

    /// <summary>UDP callers to 19, <paramref name="calls"/> of them at <paramref name="rate"/> per second, each held <paramref name="holdMs"/>.</summary>
    public static string[] CallerArgs(int calls, int holdMs, int rate = 10) =>
    [
        "-s", "19", "-m", calls.ToString(), "-l", calls.ToString(), "-r", rate.ToString(), "-d", holdMs.ToString(), "-t", "u1",
        "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(),
        "-timeout", "50s", "-timeout_error", "-recv_timeout", "20000", "-max_socket", "2000",
    ];

    /// <summary>
    /// op1001's phone: registers, then answers each of Intake's INVITEs at once, echoes RTP and hangs up after 2.5 s;
    /// it stays registered for <paramref name="stayMs"/> unless stopped.
    /// </summary>
    public static SippProcess StartOperator(IntakeServerProcess server, int stayMs = 40_000) => Sipp.Start(
        "operator_register_stay.xml",
        [
            "-s", Operator, "-au", Operator, "-ap", OperatorPassword, "-m", "1", "-d", stayMs.ToString(),
            "-p", FreePorts.Next().ToString(), "-mp", FreePorts.NextBlock(4).ToString(), "-rtp_echo",
            "-oocsf", Sipp.ScenarioPath("uas_operator_answer.xml"), "-timeout", "80s", "-max_socket", "2000",
        ],
        Target(server));

    /// <summary>Waits until the ACD reports op1001 available on the feed (registered and ready for calls).</summary>
    public static Task WaitForOperatorAvailableAsync(FeedWatcher feed) => feed.WaitForAsync(
        events => events.Any(e => e.OperatorState is { Operator: Operator, State: "available" }),
        EventTimeout,
        "op1001 available");

    /// <summary>The events of one call, in feed order.</summary>
    public static List<V1.CallEvent> OfCall(IEnumerable<V1.CallEvent> events, string callId) =>
        events.Where(e => e.CallId == callId).ToList();

    /// <summary>Ids of the calls offered, in the order they were offered.</summary>
    public static List<string> OfferedCalls(IEnumerable<V1.CallEvent> events) =>
        events.Where(e => e.KindCase == V1.CallEvent.KindOneofCase.Offered).Select(e => e.CallId).ToList();

    /// <summary>True once <paramref name="count"/> calls have their recording event (the last of a call).</summary>
    public static bool RecordingsSeen(IEnumerable<V1.CallEvent> events, int count) =>
        events.Count(e => e.KindCase == V1.CallEvent.KindOneofCase.Recording) >= count;

    /// <summary>Sequences 1..n with no gap, no duplicate, in increasing order.</summary>
    public static void AssertGapFreeFromOne(IReadOnlyList<V1.CallEvent> events)
    {
        var expected = Enumerable.Range(1, events.Count).Select(i => (ulong)i);
        Assert.True(expected.SequenceEqual(events.Select(e => e.Sequence)), "sequences not 1..n:\n" + FeedWatcher.Describe(events));
    }
}
