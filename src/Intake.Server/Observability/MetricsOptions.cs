using System.Net;

namespace Intake.Server.Observability;

/// <summary>
/// The <c>Metrics</c> section: the plain HTTP/1.1 listener for <c>/metrics</c> and <c>/health/*</c>, apart from the
/// gRPC listener, which speaks HTTP/2 only and so cannot serve Prometheus or a plain HTTP health probe.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>When false no listener is added and the endpoints answer on whatever listeners the host has.</summary>
    public bool Enabled { get; set; } = true;

    public int Port { get; set; } = 9090;

    /// <summary>Metrics name queues, trunks and sinks: bind to a management network or loopback where possible.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Problems worded with the configuration keys they concern; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"{Section}:Port must be between 0 and 65535 (got {Port}).");
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"{Section}:BindAddress must be an IP address (got '{BindAddress}').");
        }

        return errors;
    }
}
