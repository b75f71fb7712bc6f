using System.Collections.Frozen;
using Intake.Server.Configuration;
using Intake.Sip.Auth;

namespace Intake.Server.Operators;

/// <summary>
/// The operator accounts of the configuration as digest credentials. Only H(A1) values are kept (MD5 and SHA-256,
/// computed once for the realm), so the passwords read from the file do not linger in this long-lived object.
/// </summary>
public sealed class ConfiguredCredentialStore : IOperatorCredentialStore
{
    private readonly FrozenDictionary<string, OperatorCredential> _credentials;

    public ConfiguredCredentialStore(IEnumerable<OperatorOptions> operators, string realm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(realm);
        var credentials = new Dictionary<string, OperatorCredential>(StringComparer.Ordinal);
        foreach (var op in operators)
        {
            if (string.IsNullOrEmpty(op.Username) || string.IsNullOrEmpty(op.Password))
            {
                // The configuration validator reports these; an account without a secret must never authenticate.
                continue;
            }

            credentials[op.Username] = OperatorCredential.FromHa1(
                DigestHash.ComputeHa1(DigestAlgorithm.Md5, op.Username, realm, op.Password),
                DigestHash.ComputeHa1(DigestAlgorithm.Sha256, op.Username, realm, op.Password));
        }

        _credentials = credentials.ToFrozenDictionary(StringComparer.Ordinal);
        Realm = realm;
    }

    public string Realm { get; }

    public IReadOnlyCollection<string> Usernames => _credentials.Keys;

    public bool Contains(string username) => _credentials.ContainsKey(username);

    public ValueTask<OperatorCredential?> FindAsync(string username, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_credentials.GetValueOrDefault(username));
}
