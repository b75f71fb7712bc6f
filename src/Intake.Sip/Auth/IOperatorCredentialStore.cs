namespace Intake.Sip.Auth;

/// <summary>Looks up the secret of an operator account (softphone user) by digest username.</summary>
public interface IOperatorCredentialStore
{
    /// <summary>Null when no such user exists; the caller must not reveal that difference to the peer.</summary>
    ValueTask<OperatorCredential?> FindAsync(string username, CancellationToken cancellationToken);
}
