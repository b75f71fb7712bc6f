namespace Intake.Media.Sdp;

/// <summary>RFC 3264 §5.1 stream direction attributes.</summary>
public enum SdpDirection
{
    /// <summary>a=sendrecv (the default).</summary>
    SendRecv,

    /// <summary>a=sendonly (the sender puts the other side on hold).</summary>
    SendOnly,

    /// <summary>a=recvonly.</summary>
    RecvOnly,

    /// <summary>a=inactive.</summary>
    Inactive,
}
