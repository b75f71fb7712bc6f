namespace Intake.Server.Storage;

/// <summary>Filters and paging of a call list; null or empty filters match everything.</summary>
public sealed record CallQuery
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Arrival time range, inclusive <c>From</c>, exclusive <c>To</c>.</summary>
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? State { get; init; }

    public string? CallerNumber { get; init; }

    public string? Queue { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>Where the previous page ended; null for the first page.</summary>
    public CallPageToken? After { get; init; }
}
