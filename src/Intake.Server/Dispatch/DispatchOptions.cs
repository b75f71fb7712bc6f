namespace Intake.Server.Dispatch;

/// <summary>The <c>Dispatch</c> section: dispatch (CAD) systems that receive every event through DispatchSink.Submit.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>gRPC base URLs of the sinks, e.g. "http://cad.example:7000" (https for TLS).</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>Deadline of one Submit attempt.</summary>
    public double AttemptTimeoutSeconds { get; set; } = 5;

    /// <summary>First retry delay; doubles per attempt, with jitter, up to <see cref="RetryMaxDelaySeconds"/>.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 0.2;

    public double RetryMaxDelaySeconds { get; set; } = 5;

    /// <summary>How long the circuit stays open after a sink kept failing, before a trial call.</summary>
    public double BreakDurationSeconds { get; set; } = 5;

    /// <summary>Events read from the store per batch; the durable cursor is saved after each batch.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often each sink's lag is logged.</summary>
    public double LagLogIntervalSeconds { get; set; } = 60;

    /// <summary>Problems worded with the configuration keys they concern; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        for (var i = 0; i < Endpoints.Count; i++)
        {
            if (!Uri.TryCreate(Endpoints[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"Dispatch:Endpoints:{i} must be an http:// or https:// URL (got '{Endpoints[i]}').");
            }
        }

        if (Endpoints.Distinct(StringComparer.Ordinal).Count() != Endpoints.Count)
        {
            errors.Add("Dispatch:Endpoints lists the same URL twice; each URL has one delivery cursor.");
        }

        Positive(errors, "AttemptTimeoutSeconds", AttemptTimeoutSeconds);
        Positive(errors, "RetryBaseDelaySeconds", RetryBaseDelaySeconds);
        Positive(errors, "RetryMaxDelaySeconds", RetryMaxDelaySeconds);
        Positive(errors, "BreakDurationSeconds", BreakDurationSeconds);
        Positive(errors, "LagLogIntervalSeconds", LagLogIntervalSeconds);
        if (BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Dispatch:BatchSize must be between 1 and 10000 (got {BatchSize}).");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string key, double value)
    {
        if (!(value > 0))
        {
            errors.Add($"Dispatch:{key} must be greater than 0 (got {value}).");
        }
    }
}
