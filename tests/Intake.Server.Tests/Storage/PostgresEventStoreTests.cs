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

    protected override string[] FailDtmfInsertsSql =>
    [
        "CREATE FUNCTION test_fail_dtmf() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
        "CREATE TRIGGER test_fail_dtmf BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.kind = 'dtmf') EXECUTE FUNCTION test_fail_dtmf()",
    ];

    protected override string AllowDtmfInsertsSql => "DROP TRIGGER test_fail_dtmf ON events";

    protected override Task<string> CreateDatabaseAsync() => _server.CreateDatabaseAsync();

    protected override SqlStorageBackend OpenBackend(string database) => new(new PostgresDialect(database), Time);
}
