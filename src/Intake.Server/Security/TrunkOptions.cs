using Microsoft.Extensions.Configuration;

namespace Intake.Server.Security;

/// <summary>
/// One entry of the <c>Trunks</c> list: a carrier or PSAP gateway allowed to place emergency calls, known by the
/// addresses it sends from (single addresses or CIDR blocks, IPv4 or IPv6).
/// </summary>
public sealed class TrunkOptions
{
    public const string Section = "Trunks";

    public string Name { get; set; } = string.Empty;

    public List<string> Sources { get; set; } = [];

    /// <summary>
    /// Reads the <c>Trunks</c> section; a lone string under <c>Sources</c> counts as a one-entry list, which the
    /// standard binder would silently drop.
    /// </summary>
    public static List<TrunkOptions> BindAll(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return
        [
            .. configuration.GetSection(Section).GetChildren().Select(trunk => new TrunkOptions
            {
                Name = trunk[nameof(Name)] ?? string.Empty,
                Sources = [.. ReadSources(trunk.GetSection(nameof(Sources))).Select(s => s.Value)],
            }),
        ];
    }

    /// <summary>Each source string with the configuration key it was read from, for messages naming the key.</summary>
    internal static IEnumerable<(string Key, string Value)> ReadSources(IConfigurationSection sources) =>
        sources.Value is { } single
            ? [(sources.Path, single)]
            : sources.GetChildren().Select(c => (c.Path, c.Value ?? string.Empty));
}
