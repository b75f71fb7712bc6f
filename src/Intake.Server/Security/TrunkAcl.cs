using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Intake.Server.Configuration;
using Microsoft.Extensions.Configuration;

namespace Intake.Server.Security;

/// <summary>
/// Which trunk (if any) a SIP source address belongs to. With no trunk configured every source is accepted: any host
/// that can reach the SIP port can then place emergency calls, which suits a closed network or a first installation
/// but not a port reachable from the Internet. With trunks configured, a source that matches none is answered 403.
/// The most specific block wins when blocks of several trunks overlap; ties go to the trunk listed first.
/// </summary>
public sealed class TrunkAcl
{
    private readonly Rule[] _rules;

    /// <summary>Builds the list; throws <see cref="ConfigurationException"/> listing every invalid entry.</summary>
    public TrunkAcl(IEnumerable<TrunkOptions> trunks)
    {
        ArgumentNullException.ThrowIfNull(trunks);
        var list = trunks.ToList();
        var errors = Validate(list).ToList();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(" ", errors));
        }

        var rules = new List<Rule>();
        foreach (var trunk in list)
        {
            foreach (var source in trunk.Sources)
            {
                TryParseSource(source, out var network, out var prefixLength, out _);
                rules.Add(new Rule(network, AddressKey.Mask(prefixLength), prefixLength, trunk.Name));
            }
        }

        // A stable sort keeps the configuration order among blocks of the same length.
        _rules = [.. rules.OrderByDescending(r => r.PrefixLength)];
        TrunkNames = [.. list.Select(t => t.Name)];
    }

    /// <summary>The trunk names in configuration order; empty when every source is accepted.</summary>
    public IReadOnlyList<string> TrunkNames { get; }

    /// <summary>True when no trunk is configured, so that <see cref="TryMatch"/> accepts every source.</summary>
    public bool AllowsAnySource => TrunkNames.Count == 0;

    public static TrunkAcl FromConfiguration(IConfiguration configuration) => new(TrunkOptions.BindAll(configuration));

    /// <summary>
    /// True when <paramref name="source"/> may send calls, with the trunk it belongs to (empty string when no trunk
    /// is configured). IPv4-mapped IPv6 sources (from dual-stack sockets) match IPv4 blocks. Does not allocate.
    /// </summary>
    public bool TryMatch(IPAddress source, out string trunkName)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (AllowsAnySource)
        {
            trunkName = string.Empty;
            return true;
        }

        var key = AddressKey.From(source);
        foreach (var rule in _rules)
        {
            if ((key & rule.Mask) == rule.Network)
            {
                trunkName = rule.TrunkName;
                return true;
            }
        }

        trunkName = string.Empty;
        return false;
    }

    /// <summary>Every problem of the <c>Trunks</c> section, worded with the configuration keys; empty when valid.</summary>
    public static IEnumerable<string> Validate(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var trunks = configuration.GetSection(TrunkOptions.Section).GetChildren()
            .Select(t => new TrunkEntry(t.Path, t[nameof(TrunkOptions.Name)] ?? string.Empty, [.. TrunkOptions.ReadSources(t.GetSection(nameof(TrunkOptions.Sources)))]));
        return Validate(trunks);
    }

    /// <summary>Every problem of a trunk list, keyed as <c>Trunks:&lt;index&gt;:...</c>; empty when valid.</summary>
    public static IEnumerable<string> Validate(IReadOnlyList<TrunkOptions> trunks)
    {
        ArgumentNullException.ThrowIfNull(trunks);
        var entries = trunks.Select((t, i) =>
        {
            var path = $"{TrunkOptions.Section}:{i}";
            return new TrunkEntry(path, t.Name ?? string.Empty, [.. (t.Sources ?? []).Select((s, j) => ($"{path}:{nameof(TrunkOptions.Sources)}:{j}", s ?? string.Empty))]);
        });
        return Validate(entries);
    }

    private static List<string> Validate(IEnumerable<TrunkEntry> trunks)
    {
        var errors = new List<string>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var trunk in trunks)
        {
            var nameKey = $"{trunk.Path}:{nameof(TrunkOptions.Name)}";
            if (string.IsNullOrWhiteSpace(trunk.Name))
            {
                errors.Add($"{nameKey} must not be empty.");
            }
            else if (!names.TryAdd(trunk.Name, trunk.Path))
            {
                errors.Add($"{nameKey}: '{trunk.Name}' is already the name of {names[trunk.Name]}.");
            }

            if (trunk.Sources.Count == 0)
            {
                errors.Add($"{trunk.Path}:{nameof(TrunkOptions.Sources)} must list at least one address or CIDR block.");
            }

            foreach (var (key, value) in trunk.Sources)
            {
                if (!TryParseSource(value, out _, out _, out var problem))
                {
                    errors.Add($"{key}: '{value}' {problem}.");
                }
            }
        }

        return errors;
    }

    /// <summary>
    /// Parses "a.b.c.d", "a.b.c.d/n", an IPv6 address or "x::/n" into a block of the 128-bit space. Strict on purpose:
    /// the lenient forms IPAddress accepts ("10.1" for 10.0.0.1) and blocks with host bits set are more likely typos
    /// than intent in an access list.
    /// </summary>
    internal static bool TryParseSource(string text, out UInt128 network, out int prefixLength, out string problem)
    {
        network = UInt128.Zero;
        prefixLength = 0;
        var trimmed = text.AsSpan().Trim();
        var slash = trimmed.IndexOf('/');
        var isBlock = slash >= 0;
        var addressText = isBlock ? trimmed[..slash] : trimmed;
        problem = isBlock ? "is not a CIDR block" : "is not an IP address or CIDR block";
        if (addressText.Contains('%') || !IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }

        var isV4 = address.AddressFamily == AddressFamily.InterNetwork;
        if (isV4 && addressText.Count('.') != 3)
        {
            return false;
        }

        var maxPrefix = isV4 ? 32 : 128;
        var prefix = maxPrefix;
        if (isBlock)
        {
            var prefixText = trimmed[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix))
            {
                return false;
            }

            if (prefix > maxPrefix)
            {
                problem = $"has a prefix length over {maxPrefix}";
                return false;
            }
        }

        var key = AddressKey.From(address);
        prefixLength = isV4 ? AddressKey.MappedPrefixLength + prefix : prefix;
        network = key & AddressKey.Mask(prefixLength);
        if (network != key)
        {
            problem = $"has bits set after the prefix (the block would be {Unmask(address, prefix)}/{prefix})";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    private static string Unmask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes).ToString();
    }

    private readonly record struct Rule(UInt128 Network, UInt128 Mask, int PrefixLength, string TrunkName);

    private sealed record TrunkEntry(string Path, string Name, List<(string Key, string Value)> Sources);
}
