using System.Text;
using Intake.Sip.Messages;

namespace Intake.Sip.Tests.Core;

/// <summary>Builds wire text for scripted tests; every knob of the headers the core looks at is a parameter.</summary>
internal static class SipText
{
    public const string CallerHost = "192.0.2.10";

    public static string Request(
        string method = "INVITE",
        string branch = "z9hG4bKbranch1",
        string callId = "call-1@192.0.2.10",
        string fromTag = "caller1",
        string? toTag = null,
        uint cseq = 1,
        string? cseqMethod = null,
        int maxForwards = 70,
        string viaHost = CallerHost,
        int? viaPort = 5060,
        string viaTransport = "UDP",
        bool rport = false,
        string? viaExtra = null,
        string requestUri = "sip:intake@127.0.0.1",
        string? contact = "<sip:caller@192.0.2.10:5060>",
        IEnumerable<string>? extraHeaders = null)
    {
        var sb = new StringBuilder();
        sb.Append(method).Append(' ').Append(requestUri).Append(" SIP/2.0\r\n");
        sb.Append("Via: SIP/2.0/").Append(viaTransport).Append(' ').Append(viaHost);
        if (viaPort is { } port) sb.Append(':').Append(port);
        sb.Append(";branch=").Append(branch);
        if (rport) sb.Append(";rport");
        if (viaExtra is not null) sb.Append(viaExtra);
        sb.Append("\r\n");
        sb.Append("Max-Forwards: ").Append(maxForwards).Append("\r\n");
        sb.Append("From: \"Caller\" <sip:caller@example.com>;tag=").Append(fromTag).Append("\r\n");
        sb.Append("To: <sip:intake@example.com>");
        if (toTag is not null) sb.Append(";tag=").Append(toTag);
        sb.Append("\r\n");
        sb.Append("Call-ID: ").Append(callId).Append("\r\n");
        sb.Append("CSeq: ").Append(cseq).Append(' ').Append(cseqMethod ?? method).Append("\r\n");
        if (contact is not null) sb.Append("Contact: ").Append(contact).Append("\r\n");
        foreach (var header in extraHeaders ?? []) sb.Append(header).Append("\r\n");
        sb.Append("Content-Length: 0\r\n\r\n");
        return sb.ToString();
    }

    /// <summary>A response to <paramref name="request"/> as a peer would send it (Via, From, To, Call-ID, CSeq copied).</summary>
    public static string ResponseTo(SipRequest request, int statusCode, string? toTag = null, IEnumerable<string>? extraHeaders = null)
    {
        var response = SipResponse.CreateFor(request, statusCode, null, toTag);
        foreach (var header in extraHeaders ?? [])
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            response.Headers.Add(header[..colon], header[(colon + 1)..].Trim());
        }

        return Encoding.UTF8.GetString(response.ToBytes());
    }

    public static SipRequest ParseRequest(string text)
    {
        var result = SipParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(result.Success, result.Error);
        return (SipRequest)result.Message!;
    }
}
