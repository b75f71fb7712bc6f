using System.Net;

namespace Intake.Server.Api;

/// <summary>The <c>Grpc</c> section: where the gRPC API listens and who may call it.</summary>
public sealed class GrpcApiOptions
{
    public const string Section = "Grpc";

    public int Port { get; set; } = 50051;

    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>A PKCS#12 (.pfx) file; when set the API is served over TLS (HTTP/2 over TLS), otherwise cleartext HTTP/2.</summary>
    public string CertificatePath { get; set; } = string.Empty;

    public string CertificatePassword { get; set; } = string.Empty;

    /// <summary>When not empty, every call (except health checks) needs the metadata <c>authorization: Bearer &lt;key&gt;</c>.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Events a Watch subscriber may fall behind the live log before it is ended with RESOURCE_EXHAUSTED.</summary>
    public int WatchBufferCapacity { get; set; } = 10_000;

    /// <summary>Problems worded with the configuration keys they concern; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"Grpc:Port must be between 0 and 65535 (got {Port}).");
        }

        if (!IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"Grpc:BindAddress must be an IP address (got '{BindAddress}').");
        }

        if (CertificatePath.Length > 0 && !File.Exists(CertificatePath))
        {
            errors.Add($"Grpc:CertificatePath '{CertificatePath}' does not exist.");
        }

        if (ApiKeys.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("Grpc:ApiKeys must not contain empty keys.");
        }

        if (WatchBufferCapacity < 1)
        {
            errors.Add($"Grpc:WatchBufferCapacity must be at least 1 (got {WatchBufferCapacity}).");
        }

        return errors;
    }
}
