using Intake.Sip.Messages;

namespace Intake.Sip.Transport;

/// <summary>
/// The start line of a received message read just far enough to sort it (RFC 3261 §7.1): request or response, and
/// the method of a request. Reading it costs a few byte comparisons and never allocates, so a receive loop can decide
/// what to do with a datagram before paying for a full parse.
/// </summary>
public readonly record struct SipStartLinePeek
{
    // The longest standard method is SUBSCRIBE; extension methods longer than this are sorted as unknown.
    private const int MaxMethodBytes = 32;

    private SipStartLinePeek(SipStartLinePeekKind kind, string? method)
    {
        Kind = kind;
        Method = method;
    }

    public SipStartLinePeekKind Kind { get; }

    /// <summary>The interned <see cref="SipMethods"/> constant of a request; null for responses and for methods outside that list.</summary>
    public string? Method { get; }

    public bool IsResponse => Kind == SipStartLinePeekKind.Response;

    public static SipStartLinePeek Response { get; } = new(SipStartLinePeekKind.Response, null);

    public static SipStartLinePeek Malformed { get; } = new(SipStartLinePeekKind.Malformed, null);

    /// <summary>A request start line with method <paramref name="method"/> (null for an extension method).</summary>
    public static SipStartLinePeek Request(string? method) => new(SipStartLinePeekKind.Request, method);

    /// <summary>Reads the start line of a whole message. Leading CRLFs are skipped (RFC 3261 §7.5).</summary>
    public static SipStartLinePeek Read(ReadOnlySpan<byte> message)
    {
        var start = message.IndexOfAnyExcept((byte)'\r', (byte)'\n');
        if (start < 0)
        {
            return Malformed;
        }

        message = message[start..];
        if (message.Length >= 4 && (message[0] | 0x20) == 's' && (message[1] | 0x20) == 'i' && (message[2] | 0x20) == 'p' && message[3] == '/')
        {
            // No method token may contain '/', so "SIP/" can only begin a status line (the version is case-insensitive).
            return Response;
        }

        var head = message[..Math.Min(message.Length, MaxMethodBytes + 1)];
        var space = head.IndexOf((byte)' ');
        if (space <= 0)
        {
            return head.Length > MaxMethodBytes && IsToken(head[..MaxMethodBytes]) ? Request(null) : Malformed;
        }

        var token = head[..space];
        if (SipMethods.Intern(token) is { } known)
        {
            return Request(known);
        }

        return IsToken(token) ? Request(null) : Malformed;
    }

    /// <summary>RFC 3261 §25.1 token characters.</summary>
    private static bool IsToken(ReadOnlySpan<byte> token)
    {
        foreach (var b in token)
        {
            var ok = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'.' or (byte)'!' or (byte)'%' or (byte)'*' or (byte)'_' or (byte)'+' or (byte)'`' or (byte)'\'' or (byte)'~';
            if (!ok)
            {
                return false;
            }
        }

        return token.Length > 0;
    }

    public override string ToString() => Kind switch
    {
        SipStartLinePeekKind.Request => Method ?? "(extension method)",
        SipStartLinePeekKind.Response => "(response)",
        _ => "(malformed)",
    };
}
