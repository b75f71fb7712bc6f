using System.Data.Common;

namespace Intake.Server.Storage;

/// <summary>What differs between the SQL databases the store runs on; the statements themselves are shared.</summary>
public interface ISqlDialect
{
    /// <summary>"sqlite" or "postgres", for logs and errors.</summary>
    string Name { get; }

    /// <summary>Column type for protobuf payloads.</summary>
    string BlobType { get; }

    /// <summary>Column type for 8-byte floating point values.</summary>
    string DoubleType { get; }

    /// <summary>An open connection with the per-connection settings applied.</summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Database-wide settings applied once before the schema is created (journal mode, ...).</summary>
    ValueTask PrepareDatabaseAsync(DbConnection connection, CancellationToken cancellationToken);
}
