using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Registrar;

/// <summary>Builds REGISTER requests as a phone would put them on the wire, then parses them.</summary>
internal static class RegisterRequestBuilder
{
    private static int _branch;

    public static SipRequest Build(
        string user, uint cseq, IReadOnlyList<string> contacts, int? expires = null, string callId = "call-1@127.0.0.1",
        string? authorization = null, string domain = "intake.test", IReadOnlyList<string>? extraHeaders = null)
    {
        var text = new StringBuilder();
        text.Append("REGISTER sip:").Append(domain).Append(" SIP/2.0\r\n");
        text.Append("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK").Append(Interlocked.Increment(ref _branch)).Append("\r\n");
        text.Append("Max-Forwards: 70\r\n");
        text.Append("From: <sip:").Append(user).Append('@').Append(domain).Append(">;tag=f1\r\n");
        text.Append("To: <sip:").Append(user).Append('@').Append(domain).Append(">\r\n");
        text.Append("Call-ID: ").Append(callId).Append("\r\n");
        text.Append("CSeq: ").Append(cseq).Append(" REGISTER\r\n");
        foreach (var contact in contacts)
        {
            text.Append("Contact: ").Append(contact).Append("\r\n");
        }

        if (expires is not null)
        {
            text.Append("Expires: ").Append(expires).Append("\r\n");
        }

        if (authorization is not null)
        {
            text.Append("Authorization: ").Append(authorization).Append("\r\n");
        }

        foreach (var header in extraHeaders ?? [])
        {
            text.Append(header).Append("\r\n");
        }

        text.Append("User-Agent: TestPhone/1.0\r\nContent-Length: 0\r\n\r\n");
        var result = SipParser.Parse(Encoding.UTF8.GetBytes(text.ToString()));
        Assert.True(result.Success, result.Error);
        return (SipRequest)result.Message!;
    }
}
