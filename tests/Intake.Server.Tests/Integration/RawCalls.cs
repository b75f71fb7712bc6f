using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Intake.Contracts.V1;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// Emergency calls placed by hand from a <see cref="RawSipClient"/> (exact source address, exact timing), plus the
/// HTTP and gRPC reads the operations tests check the server with.
/// </summary>
internal static partial class RawCalls
{
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>An INVITE with an SDP offer (PCMU) whose media goes to a port nobody listens on.</summary>
    public static string Invite(string number, string callId, int mediaPort = 9) =>
        Request("INVITE", number, callId, 1, toTag: null, body: $"""
            v=0
            o=raw 1 1 IN IP4 $LOCAL$
            s=-
            c=IN IP4 $LOCAL$
            t=0 0
            m=audio {mediaPort} RTP/AVP 0
            a=rtpmap:0 PCMU/8000

            """);

    /// <summary>Sends an INVITE and returns its final response, or null when none came in time.</summary>
    public static async Task<string?> InviteAsync(RawSipClient client, string number, string callId)
    {
        await client.SendTextAsync(Invite(number, callId));
        return await client.ReceiveFinalAsync(ResponseTimeout);
    }

    /// <summary>Sends an INVITE and measures the time to its first response and to its final one.</summary>
    public static async Task<(string? Final, TimeSpan FirstResponse, TimeSpan FinalResponse)> TimedInviteAsync(RawSipClient client, string number, string callId)
    {
        var clock = Stopwatch.StartNew();
        await client.SendTextAsync(Invite(number, callId));
        TimeSpan? first = null;
        while (clock.Elapsed < ResponseTimeout)
        {
            var message = await client.ReceiveAsync(ResponseTimeout - clock.Elapsed);
            if (message is null)
            {
                break;
            }

            if (!message.StartsWith("SIP/2.0 ", StringComparison.Ordinal))
            {
                continue;
            }

            first ??= clock.Elapsed;
            if (RawSipClient.StatusOf(message) >= 200)
            {
                return (message, first.Value, clock.Elapsed);
            }
        }

        return (null, first ?? clock.Elapsed, clock.Elapsed);
    }

    /// <summary>ACKs a 200 to our INVITE and hangs up with a BYE; returns the BYE's final response.</summary>
    public static async Task<string?> AckAndHangUpAsync(RawSipClient client, string number, string callId, string ok)
    {
        var toTag = ToTag().Match(ok).Groups["tag"].Value;
        await client.SendTextAsync(Request("ACK", number, callId, 1, toTag, body: null));
        await client.SendTextAsync(Request("BYE", number, callId, 2, toTag, body: null));

        // The BYE's answer, not a retransmitted 200 to the INVITE that was already on its way before the ACK.
        var deadline = DateTime.UtcNow + ResponseTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await client.ReceiveFinalAsync(deadline - DateTime.UtcNow) is not { } final)
            {
                return null;
            }

            if (Header(final, "CSeq") is { } cseq && cseq.EndsWith("BYE", StringComparison.Ordinal))
            {
                return final;
            }
        }

        return null;
    }

    /// <summary>The value of a header in a message, or null.</summary>
    public static string? Header(string message, string name) =>
        message.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();

    public static async Task<(int Status, string Body)> HttpGetAsync(int port, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sum of a Prometheus metric's samples whose labels contain every one of <paramref name="labels"/> (e.g. method="INVITE").</summary>
    public static double Sample(string metrics, string name, params string[] labels) =>
        metrics.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && l.Length > name.Length && l[name.Length] is ' ' or '{')
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));

    public static GrpcChannel Channel(IntakeServerProcess server) => GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");

    /// <summary>Reads the feed from its start until <paramref name="done"/> holds; times out with what was seen.</summary>
    public static async Task<List<CallEvent>> FeedUntilAsync(GrpcChannel channel, Func<List<CallEvent>, bool> done, TimeSpan timeout)
    {
        var events = new List<CallEvent>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var watch = new CallFeed.CallFeedClient(channel).Watch(new WatchRequest(), cancellationToken: cts.Token);
            while (!done(events) && await watch.ResponseStream.MoveNext(cts.Token))
            {
                events.Add(watch.ResponseStream.Current);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Reported below with the events seen.
        }

        Assert.True(done(events), "feed:\n" + string.Join('\n', events.Select(e => $"{e.Sequence} {e.CallId} {e.KindCase} {e}")));
        return events;
    }

    private static string Request(string method, string number, string callId, int cseq, string? toTag, string? body)
    {
        var contentType = body is null ? "" : "Content-Type: application/sdp\n";
        body ??= "";
        return $"""
            {method} sip:{number}@127.0.0.1:$SERVER$ SIP/2.0
            Via: SIP/2.0/UDP $LOCAL$:$PORT$;rport;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:+33100000001@$LOCAL$:$PORT$>;tag=f{callId}
            To: <sip:{number}@127.0.0.1:$SERVER$>{(toTag is null ? "" : ";tag=" + toTag)}
            Call-ID: {callId}
            CSeq: {cseq} {method}
            Contact: <sip:caller@$LOCAL$:$PORT$>
            {contentType}Content-Length: {body.Replace("\r\n", "\n").Replace("\n", "\r\n").Replace("$LOCAL$", "127.0.0.1").Length}

            {body}
            """;
    }

    [GeneratedRegex(@"(?im)^To:.*;tag=(?<tag>[^;\s>]+)")]
    private static partial Regex ToTag();
}
