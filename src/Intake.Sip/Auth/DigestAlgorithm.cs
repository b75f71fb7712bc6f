namespace Intake.Sip.Auth;

/// <summary>Digest hash algorithms of RFC 7616 §3.3 that Intake understands.</summary>
public enum DigestAlgorithm
{
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}
