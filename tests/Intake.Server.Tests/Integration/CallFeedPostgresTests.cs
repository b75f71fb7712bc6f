using Intake.Server.Tests.Storage;

namespace Intake.Server.Tests.Integration;

/// <summary>The call-feed suite with the server's events in PostgreSQL (a throw-away server on 127.0.0.1, a fresh database per test).</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CallFeedPostgresTests(PostgresServerFixture postgres) : CallFeedSuite, IClassFixture<PostgresServerFixture>
{
    protected override async Task<string[]> StorageArgsAsync() =>
        ["--Storage:Provider=postgres", $"--Storage:ConnectionString={await postgres.CreateDatabaseAsync()}"];
}
