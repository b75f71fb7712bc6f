namespace Intake.Server.Storage;

/// <summary>The <c>Storage</c> section: where events, calls and recordings metadata are kept.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>
    /// ADO.NET connection string. For sqlite, empty = file <c>intake.db</c> in <c>Intake:DataDirectory</c>; for
    /// postgres, required (e.g. "Host=127.0.0.1;Port=5432;Database=intake;Username=intake;Password=...").
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Events, calls and recordings older than this many days are purged daily; 0 keeps everything.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Problems worded with the configuration keys they concern; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.Equals(Provider, "sqlite", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Storage:Provider must be 'sqlite' or 'postgres' (got '{Provider}').");
        }

        if (string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("Storage:ConnectionString is required when Storage:Provider is 'postgres'.");
        }

        if (RetentionDays < 0)
        {
            errors.Add($"Storage:RetentionDays must be 0 (keep everything) or more (got {RetentionDays}).");
        }

        return errors;
    }

    /// <summary>The dialect for these options; a sqlite file goes in <paramref name="dataDirectory"/>, which is created.</summary>
    public ISqlDialect CreateDialect(string dataDirectory)
    {
        if (string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            return new PostgresDialect(ConnectionString);
        }

        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return new SqliteDialect(ConnectionString);
        }

        Directory.CreateDirectory(dataDirectory);
        return new SqliteDialect(SqliteDialect.ForDirectory(dataDirectory));
    }
}
