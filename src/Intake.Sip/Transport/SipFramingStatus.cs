namespace Intake.Sip.Transport;

/// <summary>Outcome of <see cref="SipStreamFramer.TryReadMessage"/>.</summary>
public enum SipFramingStatus
{
    /// <summary>A whole message (or a keep-alive ping) was taken off the front of the buffer.</summary>
    Complete,

    /// <summary>The buffer holds only the start of a message; nothing was consumed.</summary>
    NeedMoreData,

    /// <summary>The stream cannot be framed (garbage, missing/bad Content-Length, limits exceeded); the connection must be closed.</summary>
    Invalid,
}
