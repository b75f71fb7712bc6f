namespace Intake.Server.Tests.Integration;

/// <summary>The answers the server owes to requests it must refuse (RFC 3261 §8.2, §16.3).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SipResponsesTests : IAsyncLifetime
{
    private IntakeServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await IntakeServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Invite = """
        INVITE sip:{0}@127.0.0.1:$SERVER$ SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:$PORT$;branch={1}
        Max-Forwards: {2}
        From: <sip:caller@127.0.0.1:$PORT$>;tag=abc{3}
        To: <sip:{0}@127.0.0.1:$SERVER$>
        Call-ID: {3}@127.0.0.1
        CSeq: 1 INVITE
        Contact: <sip:caller@127.0.0.1:$PORT$>
        Content-Length: 0


        """;

    private async Task<string> AskAsync(RawSipClient client, string message)
    {
        await client.SendTextAsync(message);
        var response = await client.ReceiveFinalAsync(TimeSpan.FromSeconds(5));
        Assert.True(response is not null, "no final response; server output:\n" + _server.Output);
        return response!;
    }

    [Fact]
    public async Task Invite_UnservedNumber_404()
    {
        using var client = new RawSipClient(_server.SipPort);
        var response = await AskAsync(client, string.Format(Invite, "5555", "z9hG4bKa1", 70, Guid.NewGuid().ToString("N")));
        Assert.Equal(404, RawSipClient.StatusOf(response));
    }

    [Fact]
    public async Task Invite_MaxForwardsZero_483()
    {
        using var client = new RawSipClient(_server.SipPort);
        var response = await AskAsync(client, string.Format(Invite, "19", "z9hG4bKa2", 0, Guid.NewGuid().ToString("N")));
        Assert.Equal(483, RawSipClient.StatusOf(response));
    }

    [Fact]
    public async Task Invite_MergedRequestWithNewBranch_482()
    {
        using var client = new RawSipClient(_server.SipPort);
        var callId = Guid.NewGuid().ToString("N");
        // A forking proxy upstream delivers the same request twice along two paths: same From tag, Call-ID and CSeq,
        // different branch. The first is answered normally; the second is a loop (RFC 3261 §8.2.2.2).
        await client.SendTextAsync(string.Format(Invite, "19", "z9hG4bKfirst", 70, callId));
        await client.SendTextAsync(string.Format(Invite, "19", "z9hG4bKsecond", 70, callId));

        var statuses = new List<int>();
        for (var i = 0; i < 6 && !statuses.Contains(482); i++)
        {
            var message = await client.ReceiveAsync(TimeSpan.FromSeconds(3));
            if (message is null)
            {
                break;
            }

            if (message.StartsWith("SIP/2.0", StringComparison.Ordinal) && message.Contains("branch=z9hG4bKsecond", StringComparison.Ordinal))
            {
                statuses.Add(RawSipClient.StatusOf(message));
            }
        }

        Assert.Contains(482, statuses);
    }

    [Fact]
    public async Task UnknownMethod_405WithAllow()
    {
        using var client = new RawSipClient(_server.SipPort);
        var response = await AskAsync(client, """
            PUBLISH sip:19@127.0.0.1:$SERVER$ SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:$PORT$;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:caller@127.0.0.1>;tag=p1
            To: <sip:19@127.0.0.1>
            Call-ID: publish-1@127.0.0.1
            CSeq: 1 PUBLISH
            Content-Length: 0


            """);
        Assert.Equal(405, RawSipClient.StatusOf(response));
        Assert.Contains("Allow:", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnknownRequire_420WithUnsupported()
    {
        using var client = new RawSipClient(_server.SipPort);
        var response = await AskAsync(client, """
            OPTIONS sip:127.0.0.1:$SERVER$ SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:$PORT$;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:caller@127.0.0.1>;tag=r1
            To: <sip:127.0.0.1>
            Call-ID: require-1@127.0.0.1
            CSeq: 1 OPTIONS
            Require: nothingweknow
            Content-Length: 0


            """);
        Assert.Equal(420, RawSipClient.StatusOf(response));
        Assert.Contains("Unsupported: nothingweknow", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ByeForUnknownDialog_481()
    {
        using var client = new RawSipClient(_server.SipPort);
        var response = await AskAsync(client, """
            BYE sip:19@127.0.0.1:$SERVER$ SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:$PORT$;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:caller@127.0.0.1>;tag=b1
            To: <sip:19@127.0.0.1>;tag=nosuchdialog
            Call-ID: nosuchcall@127.0.0.1
            CSeq: 2 BYE
            Content-Length: 0


            """);
        Assert.Equal(481, RawSipClient.StatusOf(response));
    }

    [Fact]
    public async Task BadVersion_505()
    {
        using var client = new RawSipClient(_server.SipPort);
        var response = await AskAsync(client, """
            OPTIONS sip:127.0.0.1:$SERVER$ SIP/7.0
            Via: SIP/7.0/UDP 127.0.0.1:$PORT$;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:caller@127.0.0.1>;tag=v1
            To: <sip:127.0.0.1>
            Call-ID: version-1@127.0.0.1
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);
        Assert.Equal(505, RawSipClient.StatusOf(response));
    }

    [Fact]
    public async Task UnsupportedUriScheme_416()
    {
        using var client = new RawSipClient(_server.SipPort);
        var response = await AskAsync(client, """
            OPTIONS mailto:police@example.org SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:$PORT$;branch=$BRANCH$
            Max-Forwards: 70
            From: <sip:caller@127.0.0.1>;tag=s1
            To: <sip:127.0.0.1>
            Call-ID: scheme-1@127.0.0.1
            CSeq: 1 OPTIONS
            Content-Length: 0


            """);
        Assert.Equal(416, RawSipClient.StatusOf(response));
    }
}
