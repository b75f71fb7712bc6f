using Intake.Server.Configuration;
using Intake.Sip.Auth;
using Intake.Sip.Registrar;

namespace Intake.Server.Operators;

/// <summary>Everything the operator registrar is built from; <see cref="FromConfiguration"/> maps the server's settings.</summary>
public sealed record OperatorDirectoryOptions
{
    public const string RegistrationsFolder = "registrations";

    public required string Realm { get; init; }

    /// <summary>Folder of the persisted bindings (<c>&lt;DataDirectory&gt;/registrations</c>).</summary>
    public required string RegistrationsDirectory { get; init; }

    public required IReadOnlyList<OperatorOptions> Operators { get; init; }

    /// <summary>Offered in this order (RFC 7616 §3.7: preferred first).</summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms { get; init; } = [DigestAlgorithm.Sha256, DigestAlgorithm.Md5];

    public RegistrarOptions Registrar { get; init; } = new();

    public AuthFailureTrackerOptions FailureTracking { get; init; } = new();

    /// <summary>Null draws a random nonce key per start: phones then get one more 401 after a restart, nothing worse.</summary>
    public byte[]? NonceSecret { get; init; }

    /// <summary>Period of the sweep that forgets old authentication failures.</summary>
    public TimeSpan FailureSweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    public static OperatorDirectoryOptions FromConfiguration(IntakeConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new OperatorDirectoryOptions
        {
            Realm = config.Intake.Realm,
            RegistrationsDirectory = Path.Combine(Path.GetFullPath(config.Intake.DataDirectory), RegistrationsFolder),
            Operators = config.Operators,
            Algorithms = config.Intake.DigestAlgorithms.Count == 0
                ? [DigestAlgorithm.Sha256, DigestAlgorithm.Md5]
                : [.. config.Intake.DigestAlgorithms.Select(ParseAlgorithm)],
        };
    }

    private static DigestAlgorithm ParseAlgorithm(string name)
    {
        // The configuration validator admits only the two non-session names.
        DigestHash.TryParseName(name, out var algorithm);
        return algorithm;
    }
}
