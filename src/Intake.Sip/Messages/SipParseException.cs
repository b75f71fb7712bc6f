namespace Intake.Sip.Messages;

/// <summary>Thrown only by the convenience Parse helpers (for example <see cref="SipUri.Parse"/>), never on the receive path.</summary>
public sealed class SipParseException : Exception
{
    public SipParseException()
        : this(400, "Bad Request")
    {
    }

    public SipParseException(string message)
        : this(400, message)
    {
    }

    public SipParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 400;
    }

    public SipParseException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The SIP status a server would answer with (400, 414, 416...).</summary>
    public int StatusCode { get; }
}
