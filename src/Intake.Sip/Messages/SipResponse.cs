namespace Intake.Sip.Messages;

public sealed class SipResponse : SipMessage
{
    private readonly byte[]? _buffer;

    public SipResponse(int statusCode, string? reasonPhrase = null)
        : base(new SipHeaders(), ReadOnlyMemory<byte>.Empty)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase ?? SipStatus.DefaultReason(statusCode);
    }

    internal SipResponse(int statusCode, string reasonPhrase, SipHeaders headers, ReadOnlyMemory<byte> body, byte[] buffer, int startLineLength)
        : base(headers, body)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        _buffer = buffer;
        RawStartLineLength = startLineLength;
    }

    public int StatusCode { get; }

    public string ReasonPhrase { get; }

    internal int RawStartLineLength { get; } = -1;

    internal ReadOnlySpan<byte> RawStartLine => _buffer.AsSpan(0, RawStartLineLength);

    /// <summary>
    /// Builds a response per RFC 3261 §8.2.6.2: copies every Via (in order), From, To (adding the tag when given
    /// and To has none), Call-ID and CSeq; a 100 also copies Timestamp (§8.2.6.1).
    /// </summary>
    public static SipResponse CreateFor(SipRequest request, int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new SipResponse(statusCode, reasonPhrase);
        var headers = response.Headers;
        var source = request.Headers;
        foreach (var (name, value) in source)
        {
            var id = SipHeaders.Identify(name);
            switch (id)
            {
                case HeaderId.Via:
                case HeaderId.From:
                case HeaderId.CallId:
                case HeaderId.CSeq:
                    headers.Add(SipHeaders.CanonicalName(id), value);
                    break;
                case HeaderId.To:
                    headers.Add("To", WithTagIfMissing(value, toTag));
                    break;
                case HeaderId.Timestamp when statusCode == 100:
                    headers.Add("Timestamp", value);
                    break;
            }
        }

        return response;
    }

    public override string ToString() => $"{StatusCode} {ReasonPhrase}";

    private static string WithTagIfMissing(string to, string? toTag)
    {
        if (toTag is null || !SipNameAddress.TryParse(to, out var address) || address is null || address.Tag is not null) return to;
        return address.WithTag(toTag).ToString();
    }
}
