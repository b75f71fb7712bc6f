using Intake.Contracts.V1;

namespace Intake.Server.Callers;

/// <summary>
/// What the INVITE says about where the caller is. <see cref="Location"/> is null when nothing usable was conveyed,
/// and <see cref="Reason"/> then says why; <see cref="Notes"/> lists what was skipped or approximated on the way.
/// </summary>
public sealed record LocationResult
{
    public const string ByValue = "by-value";
    public const string ByReference = "by-reference";

    public Location? Location { get; init; }

    /// <summary>Why there is no location; null when there is one.</summary>
    public string? Reason { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Geolocation-Routing (RFC 6442 §4.2): true for "yes", false for "no", null when absent or unknown.</summary>
    public bool? RoutingAllowed { get; init; }

    /// <summary>The Geolocation header values that were understood, in header order.</summary>
    public IReadOnlyList<GeolocationValue> Values { get; init; } = [];

    public static LocationResult Found(Location location, IReadOnlyList<string> notes) => new() { Location = location, Notes = notes };

    public static LocationResult None(string reason, IReadOnlyList<string> notes) => new() { Reason = reason, Notes = notes };
}
