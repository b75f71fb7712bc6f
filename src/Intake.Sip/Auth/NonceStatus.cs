namespace Intake.Sip.Auth;

public enum NonceStatus
{
    /// <summary>Not issued by this server (bad encoding, forged MAC, other secret, or from the future).</summary>
    Invalid,

    /// <summary>Issued by this server and still within its lifetime.</summary>
    Valid,

    /// <summary>Issued by this server but past its lifetime: the client should retry with stale=true.</summary>
    Expired,
}
