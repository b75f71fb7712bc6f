using System.Data.Common;
using Npgsql;

namespace Intake.Server.Storage;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; commits are durable with the server's defaults.</summary>
public sealed class PostgresDialect : ISqlDialect, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public string Name => "postgres";

    public string BlobType => "BYTEA";

    public string DoubleType => "DOUBLE PRECISION";

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
