using System.Text;

namespace Intake.Sip.Messages;

public sealed class SipRequest : SipMessage
{
    private static readonly SipUri InvalidUri = SipUri.Parse("sip:invalid.invalid");

    private readonly byte[]? _buffer;
    private readonly int _uriStart;
    private readonly int _uriLength;
    private SipUri? _requestUri;

    public SipRequest(string method, SipUri requestUri)
        : base(new SipHeaders(), ReadOnlyMemory<byte>.Empty)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        Method = method;
        _requestUri = requestUri ?? throw new ArgumentNullException(nameof(requestUri));
    }

    /// <summary>Parsed request: the Request-URI stays in the buffer until asked for; the start line is kept for byte-exact output.</summary>
    internal SipRequest(string method, SipHeaders headers, ReadOnlyMemory<byte> body, byte[] buffer, int uriStart, int uriLength, int startLineLength)
        : base(headers, body)
    {
        Method = method;
        _buffer = buffer;
        _uriStart = uriStart;
        _uriLength = uriLength;
        RawStartLineLength = startLineLength;
    }

    public string Method { get; }

    /// <summary>
    /// Request-URI. On a <see cref="SipParseResult.PartialRequest"/> whose URI was unusable this is sip:invalid.invalid.
    /// </summary>
    public SipUri RequestUri
    {
        get => _requestUri ??= MaterialiseUri();
        set
        {
            _requestUri = value ?? throw new ArgumentNullException(nameof(value));
            RawStartLineLength = -1;
        }
    }

    /// <summary>Length of the untouched start line in the buffer, or -1 when it must be rebuilt.</summary>
    internal int RawStartLineLength { get; private set; } = -1;

    internal ReadOnlySpan<byte> RawStartLine => _buffer.AsSpan(0, RawStartLineLength);

    public override string ToString() => $"{Method} {RequestUri}";

    private SipUri MaterialiseUri()
    {
        if (_buffer is null || _uriLength == 0) return InvalidUri;
        var text = Encoding.UTF8.GetString(_buffer, _uriStart, _uriLength);
        return SipUri.TryCreate(text, allowOtherSchemes: true, out _) ?? InvalidUri;
    }
}
