using System.Collections.Concurrent;

namespace Intake.Sip.Auth;

/// <summary>Credential store backed by a dictionary, for configuration-defined operators and tests.</summary>
public sealed class InMemoryOperatorCredentialStore : IOperatorCredentialStore
{
    private readonly ConcurrentDictionary<string, OperatorCredential> _credentials = new(StringComparer.Ordinal);

    public void Set(string username, OperatorCredential credential) => _credentials[username] = credential;

    public bool Remove(string username) => _credentials.TryRemove(username, out _);

    public ValueTask<OperatorCredential?> FindAsync(string username, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_credentials.GetValueOrDefault(username));
}
