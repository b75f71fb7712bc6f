using System.Text.RegularExpressions;
using Intake.Contracts.V1;
using Xunit.Abstractions;

namespace Intake.Server.Tests.Integration;

/// <summary>
/// *22 / *21 dialled from an operator's phone: digest-authenticated like a REGISTER, answered, confirmed by a prompt,
/// hung up by Intake, and the operator's ACD state changed. (SIPp computes the digest uri from the server address, not
/// the Request-URI, which RFC 7616 §3.4.6 lets a server refuse — so this phone is a raw client.)
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class FeatureCodeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OperatorDialsStar22ThenStar21_NotReadyThenAvailable_EachConfirmedAndHungUp()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:OperatorKeepAliveSeconds=0"]);
        using var api = new IntakeApiClient(server);
        using var raw = new RawSipClient(server.SipPort);
        var phone = new DigestRegisterClient(raw, server.SipPort, "op1001");
        var challenge = await phone.RegisterAsync(phone.Contact(), 600);
        var (nonce, opaque) = DigestRegisterClient.Challenge(challenge!, "MD5");
        Assert.Equal(200, RawSipClient.StatusOf((await phone.RegisterAsync(phone.Contact(), 600, phone.Authorization("MD5", "op1001-Secret!", nonce, opaque, 1)))!));
        Assert.Equal("available", await StateAsync(api, "available"));

        Assert.Equal(200, await DialAsync(raw, server, "*22", "op1001-Secret!"));
        Assert.Equal("not-ready", await StateAsync(api, "not-ready"));

        Assert.Equal(200, await DialAsync(raw, server, "*21", "op1001-Secret!"));
        Assert.Equal("available", await StateAsync(api, "available"));
        Assert.Contains("Operator op1001 dialled feature code *22: Ok", server.Output);
    }

    [Fact]
    public async Task FeatureCodeWithWrongPassword_403_StateUnchanged()
    {
        await using var server = await IntakeServerProcess.StartAsync(["--Intake:OperatorKeepAliveSeconds=0"]);
        using var raw = new RawSipClient(server.SipPort);

        Assert.Equal(403, await DialAsync(raw, server, "*22", "not-the-password"));
        Assert.DoesNotContain("dialled feature code", server.Output);
    }

    /// <summary>INVITE, 401, INVITE with credentials; on 200: ACK, wait for Intake's BYE after the prompt, 200. Returns the final status.</summary>
    private async Task<int> DialAsync(RawSipClient raw, IntakeServerProcess server, string code, string password)
    {
        var callId = Guid.NewGuid().ToString("N");
        var uri = $"sip:{code}@127.0.0.1:{server.SipPort}";
        var first = await InviteAsync(raw, uri, callId, 1, authorization: null);
        Assert.Equal(401, RawSipClient.StatusOf(first));
        await raw.SendTextAsync(Ack(uri, callId, 1, ToOf(first), ViaBranchOf(first)));

        var (nonce, opaque) = DigestRegisterClient.Challenge(first, "MD5");
        var cnonce = Guid.NewGuid().ToString("N")[..16];
        var ha1 = DigestRegisterClient.Hash("MD5", $"op1001:intake:{password}");
        var ha2 = DigestRegisterClient.Hash("MD5", $"INVITE:{uri}");
        var response = DigestRegisterClient.Hash("MD5", $"{ha1}:{nonce}:00000001:{cnonce}:auth:{ha2}");
        var authorization = $"Digest username=\"op1001\", realm=\"intake\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", " +
            $"algorithm=MD5, cnonce=\"{cnonce}\", qop=auth, nc=00000001" + (opaque is null ? "" : $", opaque=\"{opaque}\"");
        var final = await InviteAsync(raw, uri, callId, 2, authorization);
        var status = RawSipClient.StatusOf(final);
        output.WriteLine($"{code}: {final.Split('\r')[0]}");
        if (status != 200)
        {
            return status;
        }

        var contact = ContactPattern().Match(final).Groups[1].Value;
        await raw.SendTextAsync(Ack(contact, callId, 2, ToOf(final), "z9hG4bK" + Guid.NewGuid().ToString("N")[..12]));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var message = await raw.ReceiveAsync(deadline - DateTime.UtcNow);
            if (message is not null && message.StartsWith("BYE ", StringComparison.Ordinal))
            {
                // Echo the BYE's headers back in the 200 (RFC 3261 §8.2.6).
                var lines = message.Split("\r\n").Where(l => l.StartsWith("Via:", StringComparison.Ordinal) || l.StartsWith("From:", StringComparison.Ordinal)
                    || l.StartsWith("To:", StringComparison.Ordinal) || l.StartsWith("Call-ID:", StringComparison.Ordinal) || l.StartsWith("CSeq:", StringComparison.Ordinal));
                await raw.SendTextAsync("SIP/2.0 200 OK\n" + string.Join('\n', lines) + "\nContent-Length: 0\n\n");
                return status;
            }
        }

        Assert.Fail($"no BYE from Intake after the {code} confirmation\n{server.Output}");
        return 0;
    }

    private static async Task<string> InviteAsync(RawSipClient raw, string uri, string callId, int cseq, string? authorization)
    {
        var sdp = "v=0\r\no=op 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        var invite = $"INVITE {uri} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:$PORT$;branch=z9hG4bK{callId[..8]}{cseq}\nMax-Forwards: 70\n" +
            $"From: <sip:op1001@127.0.0.1>;tag=fc{callId[..6]}\nTo: <{uri}>\nCall-ID: {callId}@127.0.0.1\nCSeq: {cseq} INVITE\n" +
            $"Contact: <sip:op1001@127.0.0.1:$PORT$>\n" + (authorization is null ? "" : $"Authorization: {authorization}\n") +
            $"Content-Type: application/sdp\nContent-Length: {sdp.Length}\n\n";
        await raw.SendAsync(System.Text.Encoding.ASCII.GetBytes(raw.Fill(invite) + sdp));
        return await raw.ReceiveFinalAsync(TimeSpan.FromSeconds(20)) ?? throw new TimeoutException($"no final response to INVITE {uri}");
    }

    private static string Ack(string requestUri, string callId, int cseq, string to, string branch) =>
        $"ACK {requestUri} SIP/2.0\nVia: SIP/2.0/UDP 127.0.0.1:$PORT$;branch={branch}\nMax-Forwards: 70\n" +
        $"From: <sip:op1001@127.0.0.1>;tag=fc{callId[..6]}\n{to}\nCall-ID: {callId}@127.0.0.1\nCSeq: {cseq} ACK\nContent-Length: 0\n\n";

    private static string ToOf(string response) => response.Split("\r\n").First(l => l.StartsWith("To:", StringComparison.Ordinal));

    private static string ViaBranchOf(string response) => BranchPattern().Match(response).Groups[1].Value;

    private async Task<string> StateAsync(IntakeApiClient api, string expected)
    {
        var state = "";
        for (var attempt = 0; attempt < 20 && state != expected; attempt++)
        {
            var list = await api.Operators.ListAsync(new ListOperatorsRequest());
            state = Assert.Single(list.Operators, o => o.Username == "op1001").State;
            if (state != expected)
            {
                await Task.Delay(100);
            }
        }

        output.WriteLine($"op1001: {state}");
        return state;
    }

    [GeneratedRegex("Contact: <([^>]+)>")]
    private static partial Regex ContactPattern();

    [GeneratedRegex("branch=([^;\r\n]+)")]
    private static partial Regex BranchPattern();
}
