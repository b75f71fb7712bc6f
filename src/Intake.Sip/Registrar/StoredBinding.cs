namespace Intake.Sip.Registrar;

/// <summary>The JSON shape of a binding: primitives only, so the file stays readable and version-tolerant.</summary>
internal sealed record StoredBinding
{
    public required string Aor { get; init; }
    public required string Contact { get; init; }
    public string? InstanceId { get; init; }
    public string? RegId { get; init; }
    public double? Q { get; init; }
    public required string CallId { get; init; }
    public required uint CSeq { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string SourceAddress { get; init; }
    public required int SourcePort { get; init; }
    public required SipTransportProtocol Transport { get; init; }
    public string? ConnectionId { get; init; }
    public string? UserAgent { get; init; }
}
