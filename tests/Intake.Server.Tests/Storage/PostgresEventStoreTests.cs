using Intake.Server.Storage;

namespace Intake.Server.Tests.Storage;

/// <summary>The store contract against a real PostgreSQL server started by <see cref="PostgresServerFixture"/>.</summary>
public sealed class PostgresEventStoreTests : EventStoreContractTests, IClassFixture<PostgresServerFixture>
{
    private readonly PostgresServerFixture _server;

    public PostgresEventStoreTests(PostgresServerFixture server)
    {
        _server = server;
    }

    protected override Task<string> CreateDatabaseAsync() => _server.CreateDatabaseAsync();

    protected override SqlStorageBackend OpenBackend(string database) => new(new PostgresDialect(database), Time);
}
