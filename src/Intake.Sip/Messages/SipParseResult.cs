namespace Intake.Sip.Messages;

/// <summary>Outcome of <see cref="SipParser.Parse"/>; failures carry the status a UAS should answer with.</summary>
public sealed class SipParseResult
{
    private SipParseResult(SipMessage? message, int statusCode, string? error, bool isRequest, SipRequest? partialRequest)
    {
        Message = message;
        StatusCode = statusCode;
        Error = error;
        IsRequest = isRequest;
        PartialRequest = partialRequest;
    }

    public bool Success => Message is not null;

    public SipParseStatus Status => Success ? SipParseStatus.Ok : SipParseStatus.Malformed;

    public SipMessage? Message { get; }

    /// <summary>0 on success; otherwise 400, 413, 414, 416, 505 or 513.</summary>
    public int StatusCode { get; }

    /// <summary>Reason naming the fault, suitable as a reason phrase (for example "Bad Request - Invalid CSeq").</summary>
    public string? Error { get; }

    public bool IsRequest { get; }

    /// <summary>On a failed request: the headers that could be read so that a response can still be built.</summary>
    public SipRequest? PartialRequest { get; }

    internal static SipParseResult Ok(SipMessage message) =>
        new(message, 0, null, message is SipRequest, null);

    internal static SipParseResult Fail(int statusCode, string error, bool isRequest, SipRequest? partial = null) =>
        new(null, statusCode, error, isRequest, partial);

    public override string ToString() => Success ? $"Ok {Message}" : $"{StatusCode} {Error}";
}
