using System.Collections.Concurrent;
using System.Net;
using Intake.Sip.Registrar;

namespace Intake.Server.Operators;

/// <summary>
/// The addresses operators' phones registered from, for the receive path: their messages rank with the trunks' (see
/// <see cref="Sip.IntakeInboundClassifier"/>) so a flood from elsewhere cannot delay an operator answering a call.
/// Written under the directory's lock whenever an operator's bindings change; read lock-free on every datagram.
/// </summary>
public sealed class OperatorSourceIndex
{
    private readonly Dictionary<string, IPAddress[]> _byOperator = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IPAddress, int> _counts = new();

    /// <summary>True when at least one operator has a binding registered from <paramref name="address"/>.</summary>
    public bool Contains(IPAddress address) => _counts.ContainsKey(Normalize(address));

    /// <summary>Number of distinct addresses.</summary>
    public int Count => _counts.Count;

    /// <summary>Replaces the addresses of <paramref name="username"/> with its bindings' sources. Not thread-safe: one writer.</summary>
    public void Update(string username, IReadOnlyList<RegistrationBinding> bindings)
    {
        var now = bindings.Select(b => Normalize(b.Source.Address)).Distinct().ToArray();
        var before = _byOperator.GetValueOrDefault(username, []);
        foreach (var added in now.Except(before))
        {
            _counts.AddOrUpdate(added, 1, static (_, n) => n + 1);
        }

        foreach (var removed in before.Except(now))
        {
            if (_counts.AddOrUpdate(removed, 0, static (_, n) => n - 1) <= 0)
            {
                _counts.TryRemove(new KeyValuePair<IPAddress, int>(removed, 0));
            }
        }

        if (now.Length == 0)
        {
            _byOperator.Remove(username);
        }
        else
        {
            _byOperator[username] = now;
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
