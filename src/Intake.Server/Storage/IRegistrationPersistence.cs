namespace Intake.Server.Storage;

/// <summary>
/// Key/value persistence for registrar bindings, so that phones stay reachable across a restart without waiting for
/// their next REGISTER. Expired entries are never returned and are removed by the retention purge.
/// </summary>
public interface IRegistrationPersistence
{
    Task SaveRegistrationAsync(RegistrationEntry entry, CancellationToken cancellationToken = default);

    Task DeleteRegistrationAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every entry that expires after <paramref name="now"/>.</summary>
    Task<IReadOnlyList<RegistrationEntry>> LoadRegistrationsAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
