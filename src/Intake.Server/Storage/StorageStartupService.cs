using Intake.Server.Events;
using Microsoft.Extensions.Hosting;

namespace Intake.Server.Storage;

/// <summary>Creates the schema and opens the event log before the server accepts calls, so that a bad database fails the start.</summary>
public sealed class StorageStartupService : IHostedService
{
    private readonly EventStore _eventStore;

    public StorageStartupService(EventStore eventStore)
    {
        _eventStore = eventStore;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _eventStore.OpenAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
